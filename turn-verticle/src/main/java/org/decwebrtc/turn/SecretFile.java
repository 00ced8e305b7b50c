package org.decwebrtc.turn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The TURN REST secret when none is configured: generated once and kept in {@code <dataDir>/turn-secret}
 * (mode 0600), so credentials handed out before a restart stay valid after it.
 */
public final class SecretFile {
    public static final String NAME = "turn-secret";

    private SecretFile() {
    }

    /** Reads the secret from {@code dataDir}, creating it if missing. Blocking: call off the event loop. */
    public static String loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(NAME);
        if (Files.exists(file)) {
            String s = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (s.length() >= 16) {
                return s;
            }
            throw new IOException(file + " holds a secret shorter than 16 characters; delete it to regenerate");
        }
        Files.createDirectories(dataDir);
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        try {
            // Created with 0600 atomically, so the secret is never readable by others even for an instant.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            return loadOrCreate(dataDir);
        }
        Files.writeString(file, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        return secret;
    }
}
