/**
 * A STUN server on one port over UDP and TCP, built to be extended by TURN.
 *
 * <p>TURN creates its own {@link org.decwebrtc.stun.server.StunServer} with the Binding handler and its own:
 * <pre>{@code
 * StunServer.builder(vertx).bind(cfg.bind()).port(cfg.stunPort())
 *     .binding("decwebrtc")                                  // Binding requests (+ indications ignored)
 *     .onRequest(MessageType.ALLOCATE, allocateHandler)      // and REFRESH, CREATE_PERMISSION, CHANNEL_BIND
 *     .onIndication(MessageType.SEND, sendHandler)
 *     .onChannelData((channel, data, client) -> ...)           // a ByteBuf view; also enables ChannelData on TCP
 *     .onTcpClose(client -> allocations.remove(client.fiveTuple()))
 *     .metrics(registry, cfg.name())
 *     .listen();
 * }</pre>
 * Handlers get the decoded, FINGERPRINT-checked message and a {@link org.decwebrtc.stun.server.StunClient}: the
 * client 5-tuple, through which they answer ({@code client.send(response, key)}) and later push Data indications
 * or ChannelData ({@code client.sendChannelData}) on the same UDP socket or TCP connection, from any thread.
 * Requests with unknown comprehension-required attributes are answered 420 before a handler sees them; register
 * TURN attribute decoders in {@link org.decwebrtc.stun.message.AttributeRegistry} first.
 */
package org.decwebrtc.stun.server;
