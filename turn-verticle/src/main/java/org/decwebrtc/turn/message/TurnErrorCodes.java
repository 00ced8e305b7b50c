package org.decwebrtc.turn.message;

/**
 * ERROR-CODE values TURN adds to STUN's ({@link org.decwebrtc.stun.message.ErrorCode}), RFC 8656 §19 and §6.4.
 * The reason phrases are the RFC's, so a client's log reads like the spec.
 */
public final class TurnErrorCodes {
    /** The peer address is refused by policy, or the request would exceed a per-request limit. */
    public static final int FORBIDDEN = 403;
    /** A request on a 5-tuple with no allocation, or an Allocate on one that already has one. */
    public static final int ALLOCATION_MISMATCH = 437;
    /** REQUESTED-ADDRESS-FAMILY names a family this relay does not serve. */
    public static final int ADDRESS_FAMILY_NOT_SUPPORTED = 440;
    /** The credentials differ from those that created the allocation. */
    public static final int WRONG_CREDENTIALS = 441;
    /** REQUESTED-TRANSPORT other than UDP. */
    public static final int UNSUPPORTED_TRANSPORT_PROTOCOL = 442;
    /** XOR-PEER-ADDRESS of another family than the relayed address. */
    public static final int PEER_ADDRESS_FAMILY_MISMATCH = 443;
    /** The user's (or the server's) allocation quota is used up. */
    public static final int ALLOCATION_QUOTA_REACHED = 486;
    /** No relay port, no room for another permission or reservation. */
    public static final int INSUFFICIENT_CAPACITY = 508;

    private TurnErrorCodes() {
    }
}
