package org.decwebrtc.deploy;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.decwebrtc.api.config.ClusterConfig;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Set;

/**
 * Mutual TLS for the clustered event bus, the link every message between a split node's JVMs travels on (Hazelcast
 * carries only membership and which JVM consumes which address).
 * <p>
 * Trust comes from the cluster secret alone, with no certificate to copy between machines: every member derives the
 * same P-256 key for a certificate authority from the secret and the whole member list ({@link ClusterSecret}),
 * makes a fresh key of its own at each start, and signs its own certificate with the derived authority. Each side of
 * a connection presents its certificate and accepts only one signed by that authority, so a JVM without the secret,
 * or with another member list, cannot complete a handshake with a member even if it forged its way into Hazelcast.
 * The authority's private key never leaves memory; the member's key and certificate, and the authority's certificate,
 * are written as PEM to {@code <dataDir>/cluster-tls/<host>_<port>/} (owner-only) because Vert.x takes its TLS
 * options as JSON, which carries file paths but not key objects.
 * <p>
 * Vert.x's event-bus client does not check host names (it connects to whatever address the member published), so a
 * certificate proves "holds the secret", not "is that address"; the member list is bound in through the derivation.
 */
final class ClusterTls {
    static final String DIRECTORY = "cluster-tls";
    private static final String CURVE = "secp256r1";
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final X500Name AUTHORITY = new X500Name("CN=decwebrtc cluster authority");
    /** The authority's certificate is the same in every member, so its dates are fixed rather than "now". */
    private static final Instant AUTHORITY_FROM = Instant.parse("2020-01-01T00:00:00Z");
    private static final Instant AUTHORITY_UNTIL = Instant.parse("2100-01-01T00:00:00Z");
    /** Members' clocks may differ; a member's certificate is made at each start, so it need not live long. */
    private static final Duration CLOCK_SKEW = Duration.ofDays(1);
    private static final Duration MEMBER_LIFETIME = Duration.ofDays(3650);

    private final X509Certificate authority;
    private final KeyPair memberKeys;
    private final X509Certificate member;
    private final Path authorityFile;
    private final Path memberFile;
    private final Path memberKeyFile;

    private ClusterTls(X509Certificate authority, KeyPair memberKeys, X509Certificate member, Path directory) {
        this.authority = authority;
        this.memberKeys = memberKeys;
        this.member = member;
        this.authorityFile = directory.resolve("authority.pem");
        this.memberFile = directory.resolve("member.pem");
        this.memberKeyFile = directory.resolve("member-key.pem");
    }

    /**
     * This member's TLS identity for {@code cluster}, its files written under {@code dataDir} (replacing those of an
     * earlier start).
     */
    static ClusterTls create(ClusterSecret secret, ClusterConfig cluster, Path dataDir) {
        try {
            KeyPair authorityKeys = authorityKeys(secret, cluster);
            X509Certificate authority = authorityCertificate(authorityKeys);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(CURVE));
            KeyPair memberKeys = generator.generateKeyPair();
            X509Certificate member = memberCertificate(authorityKeys, authority, memberKeys, cluster);
            Path directory = dataDir.resolve(DIRECTORY)
                    .resolve((cluster.host() + "_" + cluster.port()).replaceAll("[^A-Za-z0-9_.-]", "_"));
            ClusterTls tls = new ClusterTls(authority, memberKeys, member, directory);
            tls.write(directory);
            return tls;
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the cluster link's TLS certificate: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the cluster link's TLS files under " + dataDir + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The event bus on the cluster host only, TLS 1.3 both ways, a certificate signed by the authority required
     * from every connecting member. The same options make the event bus's client, so outgoing connections present the member's
     * certificate and check the other member's against the same authority.
     */
    EventBusOptions eventBusOptions(String host) {
        return new EventBusOptions().setHost(host).setClusterPublicHost(host)
                .setSsl(true)
                .setClientAuth(ClientAuth.REQUIRED)
                // Vert.x's event bus trusts any certificate unless told otherwise.
                .setTrustAll(false)
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
                .setKeyCertOptions(new PemKeyCertOptions().setKeyPath(memberKeyFile.toString())
                        .setCertPath(memberFile.toString()))
                .setTrustOptions(new PemTrustOptions().addCertPath(authorityFile.toString()));
    }

    X509Certificate authority() {
        return authority;
    }

    X509Certificate member() {
        return member;
    }

    PrivateKey memberKey() {
        return memberKeys.getPrivate();
    }

    Path directory() {
        return authorityFile.getParent();
    }

    /** The authority's key: a P-256 scalar derived from the secret and member list, so every member finds the same. */
    static KeyPair authorityKeys(ClusterSecret secret, ClusterConfig cluster) throws GeneralSecurityException {
        X9ECParameters curve = CustomNamedCurves.getByName(CURVE);
        BigInteger order = curve.getN();
        // 384 bits reduced modulo a 256-bit order: the bias is below 2^-128.
        BigInteger scalar = new BigInteger(1, secret.derive("event-bus certificate authority", cluster.allMembers(), 48))
                .mod(order.subtract(BigInteger.ONE)).add(BigInteger.ONE);
        org.bouncycastle.math.ec.ECPoint point = curve.getG().multiply(scalar).normalize();
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec(CURVE));
        ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
        KeyFactory factory = KeyFactory.getInstance("EC");
        PrivateKey privateKey = factory.generatePrivate(new ECPrivateKeySpec(scalar, spec));
        PublicKey publicKey = factory.generatePublic(new ECPublicKeySpec(new ECPoint(
                point.getAffineXCoord().toBigInteger(), point.getAffineYCoord().toBigInteger()), spec));
        return new KeyPair(publicKey, privateKey);
    }

    private static X509Certificate authorityCertificate(KeyPair keys)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(AUTHORITY, BigInteger.ONE,
                Date.from(AUTHORITY_FROM), Date.from(AUTHORITY_UNTIL), AUTHORITY, keys.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
        return sign(builder, keys.getPrivate());
    }

    private static X509Certificate memberCertificate(KeyPair authorityKeys, X509Certificate authority, KeyPair keys,
                                                     ClusterConfig cluster)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=decwebrtc cluster member "
                + (cluster.host() + "_" + cluster.port()).replaceAll("[^A-Za-z0-9_.-]", "_"));
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(AUTHORITY,
                new BigInteger(64, new SecureRandom()).add(BigInteger.TWO), Date.from(now.minus(CLOCK_SKEW)),
                Date.from(now.plus(MEMBER_LIFETIME)), subject, keys.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(hostName(cluster.host())));
        builder.addExtension(Extension.authorityKeyIdentifier, false,
                extensions.createAuthorityKeyIdentifier(authority));
        builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
        return sign(builder, authorityKeys.getPrivate());
    }

    private static GeneralName hostName(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean literal = bare.matches("[0-9.]+") || bare.contains(":");
        return new GeneralName(literal ? GeneralName.iPAddress : GeneralName.dNSName, bare);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
    }

    private void write(Path directory) throws IOException, GeneralSecurityException {
        Files.createDirectories(directory);
        restrict(directory.getParent(), "rwx------");
        restrict(directory, "rwx------");
        writePrivately(authorityFile, pem("CERTIFICATE", authority.getEncoded()));
        writePrivately(memberFile, pem("CERTIFICATE", member.getEncoded()));
        writePrivately(memberKeyFile, pem("PRIVATE KEY", memberKeys.getPrivate().getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Written to a file that is owner-only from its creation, then moved into place. */
    private static void writePrivately(Path file, String text) throws IOException {
        Path tmp;
        try {
            tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        }
        try {
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void restrict(Path path, String permissions) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: nothing more to do.
        }
    }
}
