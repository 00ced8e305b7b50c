package org.decwebrtc.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A node's GUI access token as an operator finds it: {@code <dataDir>/gui-token}, written at every start before the
 * GUI listens. Tests open the page with it ({@code #k=}) and call {@code /api/node} with it ({@code ?k=}).
 */
public final class GuiToken {
    public static final String FILE = "gui-token";
    private static final long WAIT_MILLIS = 60_000;

    private GuiToken() {
    }

    /** Waits (a node in another process may still be starting) and returns the token. */
    public static String read(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (true) {
            try {
                String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
                if (!token.isEmpty()) {
                    return token;
                }
            } catch (IOException e) {
                // not written yet
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("no GUI token in " + file + " after " + WAIT_MILLIS + " ms");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The link a user opens: {@code https://127.0.0.1:<port>/#k=<token>}. */
    public static String pageUrl(int guiPort, Path dataDir) {
        return "https://127.0.0.1:" + guiPort + "/#k=" + read(dataDir);
    }

    /** {@code path} (e.g. {@code /api/node}) with the token as its {@code k} query parameter. */
    public static String withToken(String path, Path dataDir) {
        return path + (path.contains("?") ? "&" : "?") + "k=" + read(dataDir);
    }
}
