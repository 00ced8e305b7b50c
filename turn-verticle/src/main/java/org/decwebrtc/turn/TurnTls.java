package org.decwebrtc.turn;

import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import org.decwebrtc.api.config.TurnTlsConfig;
import org.decwebrtc.api.tls.SelfSignedCertificate;
import org.decwebrtc.stun.server.TlsListener;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TURN over TLS ({@code turns:}) as its {@link TurnTlsConfig} says: off, a PEM certificate and key of the operator's
 * (browsers only accept {@code turns:} with a certificate they trust), or a self-signed certificate made once per
 * node and kept in its data directory as {@code turns.p12}.
 */
public final class TurnTls {
    static final String KEYSTORE = "turns.p12";

    private TurnTls() {
    }

    /** The listener to add to the STUN server, or null when TLS is off. Blocking (may write the keystore). */
    public static TlsListener of(TurnTlsConfig tls, String dataDir, String nodeName) throws Exception {
        if (tls.port() == 0) {
            return null;
        }
        KeyCertOptions keyCert;
        if (tls.cert() != null) {
            for (String file : new String[]{tls.cert(), tls.key()}) {
                if (!Files.isReadable(Path.of(file))) {
                    throw new IllegalArgumentException("cannot read TLS file " + file);
                }
            }
            keyCert = new PemKeyCertOptions().setCertPath(tls.cert()).setKeyPath(tls.key());
        } else {
            if (dataDir == null) {
                throw new IllegalArgumentException("TURN over TLS needs -turnsCert/-turnsKey or a -dataDir for its certificate");
            }
            SelfSignedCertificate self = SelfSignedCertificate.loadOrCreate(Path.of(dataDir), nodeName, KEYSTORE);
            keyCert = new PfxOptions().setPath(self.keystore().toString()).setPassword(self.password());
        }
        return new TlsListener(tls.port(), keyCert, !tls.portExplicit());
    }
}
