package org.decwebrtc.gateway.conference;

import io.vertx.core.json.JsonArray;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks and cleans what remote nodes put into conference signals before any of it is kept or shown. */
final class ConferenceText {
    static final int MAX_TITLE = 80;
    static final int MAX_NAME = 64;
    /** More names than this in a roster or invited list are ignored: a conference has six members and few guests. */
    static final int MAX_NAMES = 32;
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
    // Controls, and the bidi overrides/isolates/marks that would let a title or name rewrite the text around it.
    private static final Pattern UNSAFE = Pattern.compile("[\\p{Cc}\\u200e\\u200f\\u061c\\u202a-\\u202e\\u2066-\\u2069]");

    private ConferenceText() {
    }

    static boolean validId(Object id) {
        return id instanceof String s && ID.matcher(s).matches();
    }

    private static final Pattern LEG = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** The offerer's id of one connection of the mesh: tells a fresh connection from a renegotiation. */
    static boolean validLeg(Object leg) {
        return leg instanceof String s && LEG.matcher(s).matches();
    }

    static boolean validName(Object name) {
        return name instanceof String s && !s.isBlank() && s.length() <= MAX_NAME && !UNSAFE.matcher(s).find();
    }

    /** Display-safe title, at most {@value #MAX_TITLE} code points; null or blank → "". */
    static String title(Object raw) {
        if (!(raw instanceof String s)) {
            return "";
        }
        String clean = UNSAFE.matcher(s).replaceAll("").strip();
        if (clean.codePointCount(0, clean.length()) > MAX_TITLE) {
            clean = clean.substring(0, clean.offsetByCodePoints(0, MAX_TITLE)) + "…";
        }
        return clean;
    }

    /** The valid names of a JSON array, in order, at most {@value #MAX_NAMES}; anything else → empty. */
    static Set<String> names(Object raw) {
        Set<String> names = new LinkedHashSet<>();
        if (raw instanceof JsonArray array) {
            for (Object o : array) {
                if (names.size() >= MAX_NAMES) {
                    break;
                }
                if (validName(o)) {
                    names.add((String) o);
                }
            }
        }
        return names;
    }
}
