package org.decwebrtc.deploy;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.TreeSet;

/**
 * What keeps strangers out of a split node's cluster: every member reads the same secret from
 * {@code --cluster-secret-file}, and everything a member proves is derived from that secret and the whole member
 * list (every member's {@code host:port}, sorted), so a JVM without the secret, or at an address the members do
 * not list, derives something else.
 * <ul>
 * <li>Hazelcast's cluster name (Hazelcast open source has no member authentication of its own): a stranger
 * presents another name and Hazelcast refuses its join. The name travels in clear on Hazelcast's member protocol,
 * so on its own it keeps out a stray JVM, not someone who can read the link.</li>
 * <li>The key of the certificate authority behind the event bus's mutual TLS ({@link ClusterTls}): the messages
 * themselves travel only over that TLS link, and a JVM that forged its way into Hazelcast still cannot complete a
 * handshake with a member.</li>
 * </ul>
 */
final class ClusterSecret {
    static final int MIN_LENGTH = 16;

    private final byte[] secret;

    private ClusterSecret(byte[] secret) {
        this.secret = secret;
    }

    /** The first line of {@code file}; throws {@link IllegalArgumentException} naming the flag. */
    static ClusterSecret read(Path file) {
        if (file == null) {
            throw new IllegalArgumentException("--cluster needs --cluster-secret-file (the same secret on every member)");
        }
        String line;
        try {
            line = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::trim)
                    .filter(l -> !l.isEmpty()).findFirst().orElse("");
        } catch (IOException e) {
            throw new IllegalArgumentException("--cluster-secret-file: cannot read " + file + ": " + e.getMessage(), e);
        }
        return of(line);
    }

    static ClusterSecret of(String secret) {
        if (secret.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("--cluster-secret-file must hold a secret of at least " + MIN_LENGTH
                    + " characters");
        }
        return new ClusterSecret(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Hazelcast's cluster name for this secret and this exact set of members ({@code host:port} each). */
    String clusterName(Collection<String> members) {
        String list = String.join(",", new TreeSet<>(members));
        return "decwebrtc-" + HexFormat.of().formatHex(Arrays.copyOf(hmac("hazelcast cluster name\n" + list), 16));
    }

    /**
     * {@code length} bytes of key material for {@code purpose} and this exact set of members (HKDF-SHA256 over the
     * secret), the same in every member that has the secret and the same list.
     */
    byte[] derive(String purpose, Collection<String> members, int length) {
        String info = purpose + "\n" + String.join(",", new TreeSet<>(members));
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(secret, null, info.getBytes(StandardCharsets.UTF_8)));
        byte[] out = new byte[length];
        hkdf.generateBytes(out, 0, length);
        return out;
    }

    private byte[] hmac(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
