package org.decwebrtc.stun.message;

/**
 * A datagram or frame that is not a well-formed STUN message. Thrown on the receive path for every bad packet an
 * attacker cares to send, so it carries no stack trace: filling one in would make garbage cost more than a
 * valid request.
 */
public final class StunParseException extends Exception {
    public StunParseException(String reason) {
        super(reason, null, false, false);
    }
}
