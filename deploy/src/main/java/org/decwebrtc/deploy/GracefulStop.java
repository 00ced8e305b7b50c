package org.decwebrtc.deploy;

import java.util.concurrent.TimeUnit;

/**
 * SIGTERM (or Ctrl-C): undeploy every verticle before the JVM exits, so TURN closes its allocations and relay
 * sockets and gossip stops as its verticle's stop defines, instead of the process just vanishing. Bounded, so a
 * stuck verticle cannot keep a stopping node alive.
 */
final class GracefulStop {
    private static final long TIMEOUT_SECONDS = 10;

    private GracefulStop() {
    }

    static void stop(NodeLauncher.RunningNode node) {
        long start = System.nanoTime();
        try {
            node.close().toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            // Straight to stderr: the logging system shuts down in a hook of its own, concurrently with this one.
            System.err.println("decwebrtc: " + node.config().name() + " stopped in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        } catch (Exception e) {
            System.err.println("decwebrtc: " + node.config().name() + " did not stop cleanly: " + e);
        }
    }
}
