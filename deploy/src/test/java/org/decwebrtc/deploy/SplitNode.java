package org.decwebrtc.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * User alice split over two JVMs on a clustered event bus (Hazelcast, TCP/IP members on loopback): gossip with
 * STUN/TURN in one, the gateway in the other. Either JVM can be killed and started again.
 */
public final class SplitNode implements AutoCloseable {
    public final int guiPort = TestPorts.free();
    private final int gossipPort = TestPorts.free();
    private final int stunPort = TestPorts.free();
    private final int clusterA = TestPorts.free();
    private final int clusterB = TestPorts.free();
    private final Path dir;
    private final int peerGossipPort;
    private NodeProcess gossipJvm;
    private NodeProcess gatewayJvm;

    /** @param peerGossipPort the gossip port of a node on loopback that alice's gossip peers with */
    public SplitNode(Path dir, int peerGossipPort) {
        this.dir = dir;
        this.peerGossipPort = peerGossipPort;
    }

    /** The secret both JVMs read (a file, so it is not on their command lines). */
    private String secretFile() throws IOException {
        Path file = dir.resolve("cluster-secret");
        if (!Files.exists(file)) {
            Files.createDirectories(dir);
            Files.writeString(file, "split-node-test-secret-" + System.nanoTime() + "\n");
        }
        return file.toString();
    }

    public SplitNode start() throws Exception {
        startGossipJvm();
        gatewayJvm = NodeProcess.start(dir.resolve("gateway.log"),
                "-name", "alice", "-verticles", "gateway", "-guiPort", "" + guiPort,
                "-dataDir", dir.resolve("alice-gateway").toString(),
                "--cluster", "--cluster-port", "" + clusterB, "--cluster-members", "127.0.0.1:" + clusterA,
                "--cluster-secret-file", secretFile());
        return this;
    }

    /** The link to alice's page, with the access token her gateway wrote to its data directory. */
    public String pageUrl() {
        return GuiToken.pageUrl(guiPort, dir.resolve("alice-gateway"));
    }

    /** {@code path} with the gateway's access token. */
    public String withToken(String path) {
        return GuiToken.withToken(path, dir.resolve("alice-gateway"));
    }

    public void startGossipJvm() throws Exception {
        gossipJvm = NodeProcess.start(dir.resolve("gossip-" + System.nanoTime() + ".log"),
                "-name", "alice", "-verticles", "gossip,stun,turn", "-bind", "127.0.0.1",
                "-gossipPort", "" + gossipPort, "-stunPort", "" + stunPort, "-dataDir", dir.resolve("alice").toString(),
                "-peers", "127.0.0.1:" + peerGossipPort, "-rtimer", "1",
                "--cluster", "--cluster-port", "" + clusterA, "--cluster-members", "127.0.0.1:" + clusterB,
                "--cluster-secret-file", secretFile());
    }

    public void killGossipJvm() throws InterruptedException {
        gossipJvm.kill();
    }

    public boolean gatewayAlive() {
        return gatewayJvm.alive();
    }

    @Override
    public void close() throws InterruptedException {
        for (NodeProcess p : new NodeProcess[]{gossipJvm, gatewayJvm}) {
            if (p != null) {
                p.close();
            }
        }
    }
}
