package org.decwebrtc.deploy;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;

/** Free loopback ports for in-process nodes (UDP and TCP both free, since STUN/TURN use both). */
public final class TestPorts {
    private TestPorts() {
    }

    public static int free() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0)) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(port)) {
                    return port;
                } catch (IOException busy) {
                    // UDP side taken: try another.
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no free port");
    }
}
