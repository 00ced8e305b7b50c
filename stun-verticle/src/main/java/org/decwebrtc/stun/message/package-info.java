/**
 * A lean STUN codec (RFC 8489) shared by the STUN and TURN servers.
 *
 * <p>Why not ice4j's message classes: {@code Message.decode} builds a {@code LinkedHashMap} per message, takes
 * a monitor on every attribute access, reports bad input with exceptions carrying stack traces, and encoding
 * needs a {@code StunStack}. Measured (bench/stun/codec.sh, docs/BENCHMARKS.md): a Binding request-to-response
 * takes about the same time as with ice4j but allocates 715 bytes against 1,552, and a malformed datagram costs
 * ~100 ns / 272 bytes against 500-1,000 ns / 888 bytes. ice4j stays in the tests as an independent client.
 *
 * <p>Use: {@link org.decwebrtc.stun.message.StunMessage#decode(io.netty.buffer.ByteBuf)} one datagram or frame;
 * check {@code fingerprintValid()}, {@code verifyIntegrity(key)} with a key from
 * {@link org.decwebrtc.stun.message.StunKeys}; answer with {@code request.respond(MessageType.SUCCESS)
 * .add(...).add(MessageIntegrity.compute()).add(Fingerprint.compute()).build().encode(out, key)}.
 *
 * <p>Adding an attribute (TURN's LIFETIME, REQUESTED-TRANSPORT, DATA, CHANNEL-NUMBER, ...):
 * <ol>
 * <li>write a record implementing {@link org.decwebrtc.stun.message.StunAttribute} ({@code type()} and
 * {@code writeValue}, the value only: header and padding are written for you);</li>
 * <li>give it a static {@code decode(int type, byte[] data, int offset, int length, byte[] transactionId)} that
 * throws {@link org.decwebrtc.stun.message.StunParseException} on a bad value;</li>
 * <li>call {@code AttributeRegistry.register(TYPE, MyAttribute::decode)} once before the server starts. That also
 * makes the type "understood", so requests carrying it no longer earn a 420.</li>
 * </ol>
 * Unregistered types decode as {@link org.decwebrtc.stun.message.RawAttribute}.
 * {@link org.decwebrtc.stun.message.PacketKind} tells STUN from ChannelData and other traffic by first byte.
 */
package org.decwebrtc.stun.message;
