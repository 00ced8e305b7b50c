package org.decwebrtc.stun.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether the kernel makes "::" sockets IPv6-only (Linux net.ipv6.bindv6only; default 0 = dual stack). */
final class WildcardPolicy {
    private WildcardPolicy() {
    }

    static boolean ipv6OnlyByDefault() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv6/bindv6only")).trim().equals("1");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
