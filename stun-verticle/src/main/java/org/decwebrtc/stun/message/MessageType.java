package org.decwebrtc.stun.message;

/**
 * The 14-bit STUN message type interleaves a 12-bit method and a 2-bit class (RFC 8489 §5, figure 3). Methods
 * and classes are plain ints so that TURN (RFC 8656) methods need no change here.
 */
public final class MessageType {
    public static final int REQUEST = 0b00;
    public static final int INDICATION = 0b01;
    public static final int SUCCESS = 0b10;
    public static final int ERROR = 0b11;

    /** RFC 8489. */
    public static final int BINDING = 0x001;
    /** RFC 8656 methods, listed so the TURN server shares one table. */
    public static final int ALLOCATE = 0x003;
    public static final int REFRESH = 0x004;
    public static final int SEND = 0x006;
    public static final int DATA = 0x007;
    public static final int CREATE_PERMISSION = 0x008;
    public static final int CHANNEL_BIND = 0x009;

    private MessageType() {
    }

    public static int type(int method, int messageClass) {
        if (method < 0 || method > 0xFFF) {
            throw new IllegalArgumentException("method out of range: " + method);
        }
        return (method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2)
                | ((messageClass & 1) << 4) | ((messageClass & 2) << 7);
    }

    public static int method(int type) {
        return (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2);
    }

    public static int messageClass(int type) {
        return ((type >> 4) & 1) | ((type >> 7) & 2);
    }

    public static String className(int messageClass) {
        return switch (messageClass) {
            case REQUEST -> "request";
            case INDICATION -> "indication";
            case SUCCESS -> "success response";
            default -> "error response";
        };
    }
}
