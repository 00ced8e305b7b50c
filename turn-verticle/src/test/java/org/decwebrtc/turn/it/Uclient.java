package org.decwebrtc.turn.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs coturn's {@code turnutils_uclient} and reads its summary lines. */
public final class Uclient {
    public static final String BINARY = "/usr/bin/turnutils_uclient";

    /** What uclient printed at the end of a run. */
    public record Result(int exitCode, String output, long sent, long received, long lost, double avgRoundTripMs) {
    }

    private static final Pattern LOST = Pattern.compile("Total lost packets (\\d+)");
    private static final Pattern SENT = Pattern.compile("Total sent packets?:? *(\\d+)|tot_send_msgs=(\\d+)");
    private static final Pattern RECV = Pattern.compile("Total received packets?:? *(\\d+)|tot_recv_msgs=(\\d+)");
    private static final Pattern RTT = Pattern.compile("Average round trip delay ([0-9.]+) ms");

    private Uclient() {
    }

    public static Result run(int port, List<String> flags, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(BINARY);
        cmd.addAll(flags);
        cmd.addAll(List.of("-p", String.valueOf(port), "127.0.0.1"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(p.isAlive() ? -1 : p.exitValue(), out, last(SENT, out), last(RECV, out), last(LOST, out),
                    lastDouble(RTT, out));
        } finally {
            p.destroyForcibly();
        }
    }

    private static long last(Pattern pattern, String out) {
        Matcher m = pattern.matcher(out);
        long v = -1;
        while (m.find()) {
            String g = m.group(1) != null ? m.group(1) : m.groupCount() > 1 ? m.group(2) : null;
            if (g != null) {
                v = Long.parseLong(g);
            }
        }
        return v;
    }

    private static double lastDouble(Pattern pattern, String out) {
        Matcher m = pattern.matcher(out);
        double v = -1;
        while (m.find()) {
            v = Double.parseDouble(m.group(1));
        }
        return v;
    }
}
