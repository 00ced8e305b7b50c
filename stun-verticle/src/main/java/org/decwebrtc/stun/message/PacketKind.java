package org.decwebrtc.stun.message;

/**
 * What shares a STUN/TURN port, told apart by the first byte as RFC 7983 §7 does. The TURN server receives
 * ChannelData (RFC 8656 §12) on the same socket; the rest cannot legitimately arrive on a STUN port.
 */
public enum PacketKind {
    STUN, ZRTP, DTLS, CHANNEL_DATA, RTP, UNKNOWN;

    public static PacketKind of(int firstByte) {
        int b = firstByte & 0xFF;
        if (b <= 3) {
            return STUN;
        }
        if (b >= 16 && b <= 19) {
            return ZRTP;
        }
        if (b >= 20 && b <= 63) {
            return DTLS;
        }
        if (b >= 64 && b <= 79) {
            return CHANNEL_DATA;
        }
        if (b >= 128 && b <= 191) {
            return RTP;
        }
        return UNKNOWN;
    }
}
