package org.decwebrtc.stun.server;

import org.decwebrtc.stun.message.StunMessage;

/**
 * Handles requests or indications of one method. Called on the Vert.x event-loop context of the socket that
 * received the message, after the server has checked syntax, FINGERPRINT and comprehension-required attributes.
 * A request handler answers through {@code peer}, now or later; throwing makes the server answer 500.
 */
@FunctionalInterface
public interface StunHandler {
    void handle(StunMessage message, StunClient client);
}
