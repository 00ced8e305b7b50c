package org.decwebrtc.stun.server;

import io.netty.buffer.ByteBuf;
import org.decwebrtc.stun.message.ErrorCode;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.PacketKind;
import org.decwebrtc.stun.message.StunMessage;
import org.decwebrtc.stun.message.StunParseException;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Everything between "bytes arrived" and "a handler runs", identical for UDP and TCP: demultiplexing by first
 * byte (RFC 7983), STUN validation (RFC 8489 §6.3), FINGERPRINT check, 420 for unknown comprehension-required
 * attributes, routing by method and class. Bad input is counted and dropped, never answered with more than a
 * small error, never thrown.
 */
final class Dispatcher {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());

    private final StunHandler[] requestHandlers;
    private final StunHandler[] indicationHandlers;
    private final ChannelDataHandler channelDataHandler;
    private final boolean legacyChannelNumbers;
    final StunMetrics metrics;
    /** Error replies without MESSAGE-INTEGRITY over UDP pass through this (see {@link ErrorReplyLimiter}). */
    ErrorReplyLimiter errorReplies = ErrorReplyLimiter.unlimited();

    Dispatcher(StunHandler[] requestHandlers, StunHandler[] indicationHandlers, ChannelDataHandler channelDataHandler,
               StunMetrics metrics) {
        this(requestHandlers, indicationHandlers, channelDataHandler, metrics, false);
    }

    /** {@code legacyChannelNumbers}: also treat first bytes 0x50-0x7F as ChannelData (RFC 5766 channels up to 0x7FFF). */
    Dispatcher(StunHandler[] requestHandlers, StunHandler[] indicationHandlers, ChannelDataHandler channelDataHandler,
               StunMetrics metrics, boolean legacyChannelNumbers) {
        this.legacyChannelNumbers = legacyChannelNumbers;
        this.requestHandlers = requestHandlers;
        this.indicationHandlers = indicationHandlers;
        this.channelDataHandler = channelDataHandler;
        this.metrics = metrics;
    }

    boolean acceptsChannelData() {
        return channelDataHandler != null;
    }

    /** Whether a frame starting with this byte is ChannelData (RFC 7983 range, or RFC 5766's wider one). */
    boolean isChannelData(int firstByte) {
        int b = firstByte & 0xFF;
        return PacketKind.of(b) == PacketKind.CHANNEL_DATA || (legacyChannelNumbers && b >= 0x50 && b <= 0x7F);
    }

    /** {@code content} is one datagram or one TCP frame; it is not retained. */
    void dispatch(ByteBuf content, StunClient client) {
        if (!content.isReadable()) {
            metrics.droppedNonStun.increment();
            return;
        }
        PacketKind kind = PacketKind.of(content.getByte(content.readerIndex()));
        if (kind == PacketKind.STUN) {
            dispatchStun(content, client);
        } else if (channelDataHandler != null && isChannelData(content.getByte(content.readerIndex()))) {
            dispatchChannelData(content, client);
        } else {
            metrics.droppedNonStun.increment();
        }
    }

    private void dispatchChannelData(ByteBuf content, StunClient client) {
        int start = content.readerIndex();
        if (content.readableBytes() < 4) {
            metrics.droppedMalformed.increment();
            return;
        }
        int channel = content.getUnsignedShort(start);
        int length = content.getUnsignedShort(start + 2);
        // UDP may carry padding after the data (RFC 8656 §12.5), so only a short datagram is malformed.
        if (4 + length > content.readableBytes()) {
            metrics.droppedMalformed.increment();
            return;
        }
        metrics.channelData.increment();
        try {
            // A view, not a copy: the relay retains it and writes the received bytes straight to the peer.
            channelDataHandler.handle(channel, content.slice(start + 4, length), client);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ChannelData handler failed for " + client.fiveTuple(), e);
        }
    }

    private void dispatchStun(ByteBuf content, StunClient client) {
        StunMessage message;
        try {
            message = StunMessage.decode(content);
        } catch (StunParseException e) {
            metrics.droppedMalformed.increment();
            if (LOG.isLoggable(Level.FINE)) {
                LOG.fine("dropped from " + client.remote() + ": " + e.getMessage());
            }
            return;
        }
        if (message.hasFingerprint() && !message.fingerprintValid()) {
            metrics.droppedFingerprint.increment();
            return;
        }
        int messageClass = message.messageClass();
        if (!message.hasMagicCookie()
                && (messageClass != MessageType.REQUEST || message.method() != MessageType.BINDING)) {
            // RFC 3489 had no indications and nothing but Binding is worth answering without the cookie.
            metrics.droppedUnhandled.increment();
            return;
        }
        if (messageClass == MessageType.REQUEST) {
            metrics.requests.increment();
            handleRequest(message, client);
        } else if (messageClass == MessageType.INDICATION) {
            metrics.indications.increment();
            StunHandler handler = indicationHandlers[message.method()];
            // Indications are never answered, not even with an error (RFC 8489 §6.3.2).
            if (handler == null || !message.unknownComprehensionRequired().isEmpty()) {
                metrics.droppedUnhandled.increment();
                return;
            }
            invoke(handler, message, client, false);
        } else {
            // A server sends no requests, so a response here is a stray or a reflection attempt.
            metrics.droppedUnhandled.increment();
        }
    }

    private void handleRequest(StunMessage request, StunClient client) {
        StunHandler handler = requestHandlers[request.method()];
        if (handler == null) {
            client.send(Responses.finish(request, Responses.error(request, ErrorCode.BAD_REQUEST, "Unknown method")),
                    null);
            return;
        }
        List<Integer> unknown = request.unknownComprehensionRequired();
        if (!unknown.isEmpty()) {
            client.send(Responses.unknownAttributes(request, unknown), null);
            return;
        }
        invoke(handler, request, client, true);
    }

    private void invoke(StunHandler handler, StunMessage message, StunClient client, boolean answerFailure) {
        try {
            handler.handle(message, client);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "STUN handler failed for " + message + " from " + client.fiveTuple(), e);
            if (answerFailure) {
                client.send(Responses.finish(message, Responses.error(message, ErrorCode.SERVER_ERROR,
                        "Server Error")), null);
            }
        }
    }
}
