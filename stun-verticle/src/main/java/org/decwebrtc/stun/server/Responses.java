package org.decwebrtc.stun.server;

import org.decwebrtc.stun.message.ErrorCode;
import org.decwebrtc.stun.message.Fingerprint;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.StunMessage;
import org.decwebrtc.stun.message.UnknownAttributes;

import java.util.List;

/** Error responses, small on purpose: a spoofed request must not buy an attacker a bigger reply. */
public final class Responses {
    private Responses() {
    }

    /** An error response builder with ERROR-CODE; callers add REALM/NONCE etc. and then {@link #finish}. */
    public static StunMessage.Builder error(StunMessage request, int code, String reason) {
        return request.respond(MessageType.ERROR).add(new ErrorCode(code, reason));
    }

    /** 420 listing the comprehension-required attributes nobody here understands (RFC 8489 §6.3.1.1). */
    public static StunMessage unknownAttributes(StunMessage request, List<Integer> unknown) {
        return finish(request, error(request, ErrorCode.UNKNOWN_ATTRIBUTE, "Unknown Attribute")
                .add(new UnknownAttributes(unknown)));
    }

    /** Adds FINGERPRINT when the request is RFC 5389+ (classic RFC 3489 clients would not understand it). */
    public static StunMessage finish(StunMessage request, StunMessage.Builder response) {
        if (request.hasMagicCookie()) {
            response.add(Fingerprint.compute());
        }
        return response.build();
    }
}
