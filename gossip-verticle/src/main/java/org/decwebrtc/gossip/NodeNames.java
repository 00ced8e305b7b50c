package org.decwebrtc.gossip;

import java.util.regex.Pattern;

/** The rule of the launcher's {@code -name}: names on the wire that break it are refused. */
final class NodeNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,32}");

    private NodeNames() {
    }

    static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
