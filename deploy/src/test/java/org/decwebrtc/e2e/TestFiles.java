package org.decwebrtc.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/** Files the e2e tests send, and the hash a received file must have (what the page shows as {@code data-sha256}). */
final class TestFiles {
    private static final int BLOCK = 1024 * 1024;

    private TestFiles() {
    }

    /** {@code bytes} pseudo-random bytes, seeded by the size, written a block at a time (large files fit in no heap). */
    static void writeRandom(Path file, long bytes) throws IOException {
        Random random = new Random(bytes);
        byte[] block = new byte[BLOCK];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
    }

    /** The file's SHA-256 in lower-case hex, read in blocks. */
    static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
