package org.decwebrtc.stun.server;

import org.decwebrtc.stun.message.BindingSuccess;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.StunMessage;

/**
 * Answers Binding requests (RFC 8489 §10) with the client's server-reflexive address: XOR-MAPPED-ADDRESS,
 * MAPPED-ADDRESS for RFC 3489-era clients that only read that one, SOFTWARE and FINGERPRINT. A classic RFC 3489
 * request (no magic cookie) gets MAPPED-ADDRESS and SOFTWARE only, since it cannot parse the rest.
 * Binding indications are keep-alives and get nothing.
 */
public final class BindingHandler implements StunHandler {
    private final BindingSuccess success;

    /** {@code software} may be null to leave SOFTWARE out. */
    public BindingHandler(String software) {
        this.success = new BindingSuccess(software);
    }

    @Override
    public void handle(StunMessage request, StunClient client) {
        if (request.messageClass() != MessageType.REQUEST) {
            return;
        }
        client.sendEncoded(success.encode(request, client.remote()));
    }
}
