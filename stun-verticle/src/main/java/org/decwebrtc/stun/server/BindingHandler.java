package org.decwebrtc.stun.server;

import org.decwebrtc.stun.message.AddressAttribute;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.Software;
import org.decwebrtc.stun.message.StunMessage;
import org.decwebrtc.stun.message.XorAddressAttribute;

import java.net.InetSocketAddress;

/**
 * Answers Binding requests (RFC 8489 §10) with the client's server-reflexive address: XOR-MAPPED-ADDRESS,
 * MAPPED-ADDRESS for RFC 3489-era clients that only read that one, SOFTWARE and FINGERPRINT. A classic RFC 3489
 * request (no magic cookie) gets MAPPED-ADDRESS and SOFTWARE only, since it cannot parse the rest.
 * Binding indications are keep-alives and get nothing.
 */
public final class BindingHandler implements StunHandler {
    private final Software software;

    /** {@code software} may be null to leave SOFTWARE out. */
    public BindingHandler(String software) {
        this.software = software == null ? null : new Software(software);
    }

    @Override
    public void handle(StunMessage request, StunClient client) {
        if (request.messageClass() != MessageType.REQUEST) {
            return;
        }
        InetSocketAddress reflexive = client.remote();
        StunMessage.Builder response = request.respond(MessageType.SUCCESS);
        if (request.hasMagicCookie()) {
            response.add(XorAddressAttribute.mapped(reflexive));
        }
        response.add(AddressAttribute.mapped(reflexive));
        if (software != null) {
            response.add(software);
        }
        client.send(Responses.finish(request, response), null);
    }
}
