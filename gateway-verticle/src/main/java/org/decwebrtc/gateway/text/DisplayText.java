package org.decwebrtc.gateway.text;

/**
 * Text from other nodes (user names, reject and leave reasons, bounce reasons) made fit to show: a remote node
 * chooses these strings, so they lose control and bidirectional-override characters (which can make "evil" read
 * as "live") and are cut to a length a notice can hold.
 */
public final class DisplayText {
    public static final int MAX_NAME_CHARS = 64;
    public static final int MAX_REASON_CHARS = 160;

    private DisplayText() {
    }

    public static String name(String text) {
        return clean(text, MAX_NAME_CHARS);
    }

    public static String reason(String text) {
        return clean(text, MAX_REASON_CHARS);
    }

    /** Drops control, format (bidi, zero-width) and unpaired surrogate characters; cuts at {@code max} code points. */
    public static String clean(String text, int max) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max + 1));
        int kept = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (!shown(cp)) {
                continue;
            }
            if (kept == max) {
                out.append('…');
                break;
            }
            out.appendCodePoint(Character.isWhitespace(cp) ? ' ' : cp);
            kept++;
        }
        return out.toString().strip();
    }

    private static boolean shown(int cp) {
        int type = Character.getType(cp);
        return type != Character.CONTROL && type != Character.FORMAT && type != Character.SURROGATE
                && type != Character.PRIVATE_USE && type != Character.UNASSIGNED
                && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR;
    }
}
