package org.decwebrtc.api.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * A node's TLS identity (the gateway's HTTPS, TURN over TLS): a self-signed certificate made with BouncyCastle at
 * first start and kept as a PKCS#12 keystore in the node's data directory, so the browser's "accept this
 * certificate" sticks across restarts. Each use has its own file, so replacing one never touches the other.
 */
public final class SelfSignedCertificate {
    /** The gateway's keystore. */
    public static final String GATEWAY = "gateway.p12";
    private static final String ALIAS = "node";

    private final Path keystore;
    private final String password;

    private SelfSignedCertificate(Path keystore, String password) {
        this.keystore = keystore;
        this.password = password;
    }

    public Path keystore() {
        return keystore;
    }

    public String password() {
        return password;
    }

    /** The gateway's keystore in {@code dataDir}, created (with the directory) on first use. */
    public static SelfSignedCertificate loadOrCreate(Path dataDir, String nodeName) throws IOException, GeneralSecurityException {
        return loadOrCreate(dataDir, nodeName, GATEWAY);
    }

    /** The keystore {@code fileName} in {@code dataDir}, created (with the directory) on first use. */
    public static SelfSignedCertificate loadOrCreate(Path dataDir, String nodeName, String fileName)
            throws IOException, GeneralSecurityException {
        if (!fileName.matches("[A-Za-z0-9_.-]+\\.p12")) {
            throw new IllegalArgumentException("keystore file name must be a plain *.p12 name, got " + fileName);
        }
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(fileName);
        Path passFile = dataDir.resolve(fileName + ".pass");
        if (Files.exists(file) && Files.exists(passFile)) {
            String pass = Files.readString(passFile).trim();
            try (InputStream in = Files.newInputStream(file)) {
                KeyStore.getInstance("PKCS12").load(in, pass.toCharArray());
                return new SelfSignedCertificate(file, pass);
            } catch (IOException | GeneralSecurityException e) {
                // A damaged keystore is replaced rather than keeping the node from starting.
            }
        }
        String pass = randomPassword();
        KeyStore store = create(nodeName, pass);
        Path tmp = Files.createTempFile(dataDir, "keystore", ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            store.store(out, pass.toCharArray());
        }
        Files.writeString(passFile, pass);
        restrict(passFile);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        restrict(file);
        return new SelfSignedCertificate(file, pass);
    }

    private static KeyStore create(String nodeName, String pass) throws GeneralSecurityException, IOException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair keys = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=decwebrtc " + nodeName.replaceAll("[^A-Za-z0-9_.-]", "_"));
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(825))), subject, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1")}));
        X509Certificate cert;
        try {
            cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, keys.getPrivate(), pass.toCharArray(), new Certificate[]{cert});
        return store;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    private static void restrict(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: nothing more we can do.
        }
    }
}
