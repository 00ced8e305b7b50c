package org.decwebrtc.deploy;

import org.decwebrtc.api.HostPort;
import org.decwebrtc.api.config.GatewayConfig;
import org.decwebrtc.api.config.GossipConfig;
import org.decwebrtc.api.config.NodeConfig;

import java.nio.file.Path;
import java.util.List;

/** Config of one test node on loopback: the given ports (0 = any free one), the defaults elsewhere. */
public final class LocalConfig {
    private LocalConfig() {
    }

    /** @param guiPort 0 = no UI (a relay node) */
    public static NodeConfig local(String name, int gossipPort, int guiPort, int stunPort, List<String> peers,
                                   int rtimerSeconds, Path dataDir) {
        NodeConfig d = NodeConfig.DEFAULTS;
        return NodeConfig.of(name, dataDir).withBind("127.0.0.1")
                .withGossip(new GossipConfig(gossipPort, peers.stream().map(HostPort::parse).toList(), rtimerSeconds))
                .withStun(d.stun().withPort(stunPort))
                .withGateway(new GatewayConfig(guiPort > 0, guiPort, d.gateway().bind()));
    }
}
