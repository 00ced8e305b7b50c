package org.decwebrtc.gateway.access;

import io.vertx.core.http.HttpServerRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret that makes a request the user's: chosen at random on every start, printed as part of the GUI link
 * ({@code https://127.0.0.1:8080/#k=<token>}, as Jupyter does) and written to {@code <dataDir>/gui-token} for
 * scripts. The Origin check stops other web sites; this stops other local programs, which can send any Origin.
 * Requests carry it as {@code ?k=<token>} or {@code Authorization: Bearer <token>}.
 */
public final class AccessToken {
    public static final String FILE = "gui-token";
    public static final String QUERY_PARAM = "k";
    private static final String BEARER = "Bearer ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String value;

    public AccessToken(String value) {
        if (value == null || value.length() < 16) {
            throw new IllegalArgumentException("a GUI token has at least 16 characters");
        }
        this.value = value;
    }

    /** 32 random bytes, base64url: safe in a URL fragment, a query and a header. */
    public static AccessToken random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new AccessToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    public String value() {
        return value;
    }

    /** Writes the token to {@code <dir>/gui-token}, readable by its owner only, replacing the previous start's. */
    public Path writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        Path tmp = Files.createTempFile(dir, FILE, ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's own protection applies
            }
            Files.writeString(tmp, value + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return file;
    }

    /** True when the request carries this token, as {@code ?k=} or as a bearer token. */
    public boolean presentIn(HttpServerRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && matches(header.substring(BEARER.length()).trim())) {
            return true;
        }
        // Vert.x's params() ignores letter case; the parameter is "k", exactly.
        java.util.List<String> values = new io.netty.handler.codec.http.QueryStringDecoder(request.uri())
                .parameters().get(QUERY_PARAM);
        return values != null && values.stream().anyMatch(this::matches);
    }

    /** Constant time: how much of a guess is right must not show in the response time. */
    public boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
                candidate.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "AccessToken[hidden]";
    }
}
