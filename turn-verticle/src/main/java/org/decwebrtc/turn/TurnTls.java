package org.decwebrtc.turn;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import org.decwebrtc.api.tls.SelfSignedCertificate;
import org.decwebrtc.stun.server.TlsListener;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TURN over TLS ({@code turns:}) from the node config's {@code turn} object: {@code tlsPort} (default 5349, 0 =
 * off), {@code tlsPortExplicit} (an operator-chosen port must be free; the default gives way to a free port when a
 * second node on the machine holds it), and either {@code tlsCert} + {@code tlsKey} (PEM files, e.g. from an ACME
 * client: browsers only accept {@code turns:} with a certificate they trust) or neither, for a self-signed
 * certificate made once per node and kept in its data directory as {@code turns.p12}.
 */
public final class TurnTls {
    public static final int DEFAULT_PORT = 5349;
    static final String KEYSTORE = "turns.p12";

    private TurnTls() {
    }

    /** The listener to add to the STUN server, or null when TLS is off. Blocking (may write the keystore). */
    public static TlsListener fromConfig(JsonObject turn, String dataDir, String nodeName) throws Exception {
        JsonObject t = turn == null ? new JsonObject() : turn;
        int port = t.getInteger("tlsPort", DEFAULT_PORT);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("turn.tlsPort must be 0-65535 (0 = no TURN over TLS), got " + port);
        }
        if (port == 0) {
            return null;
        }
        String cert = t.getString("tlsCert");
        String key = t.getString("tlsKey");
        KeyCertOptions keyCert;
        if (cert != null || key != null) {
            if (cert == null || key == null) {
                throw new IllegalArgumentException("turn.tlsCert and turn.tlsKey go together (PEM certificate chain and key)");
            }
            for (String file : new String[]{cert, key}) {
                if (!Files.isReadable(Path.of(file))) {
                    throw new IllegalArgumentException("cannot read TLS file " + file);
                }
            }
            keyCert = new PemKeyCertOptions().setCertPath(cert).setKeyPath(key);
        } else {
            if (dataDir == null) {
                throw new IllegalArgumentException("TURN over TLS needs turn.tlsCert/tlsKey or a dataDir for its certificate");
            }
            SelfSignedCertificate self = SelfSignedCertificate.loadOrCreate(Path.of(dataDir), nodeName, KEYSTORE);
            keyCert = new PfxOptions().setPath(self.keystore().toString()).setPassword(self.password());
        }
        return new TlsListener(port, keyCert, !t.getBoolean("tlsPortExplicit", false));
    }
}
