package org.decwebrtc.api;

/**
 * Every event-bus address of a node, in one place. Addresses are prefixed with the node name so that
 * several nodes can share one clustered event bus (tests, split deployments) without hearing each other.
 * Bodies are {@link io.vertx.core.json.JsonObject}s built by the records of this package, so they cross a
 * clustered bus without custom codecs.
 */
public final class Addresses {
    private Addresses() {
    }

    /** gateway → gossip (request): {@link SignalEnvelope} with {@code to}; reply {@code {ok:true}} or a failure. */
    public static String signalSend(String node) {
        return node + ".gossip.signal.send";
    }

    /** gossip → gateway (publish): {@link SignalEnvelope} with {@code from}. */
    public static String signalReceived(String node) {
        return node + ".gossip.signal.received";
    }

    /** gossip → gateway (publish): {@link Undeliverable}, a signal this node sent that could not be routed. */
    public static String signalUndeliverable(String node) {
        return node + ".gossip.signal.undeliverable";
    }

    /** gossip → anyone (publish on change): {@link Directory}. */
    public static String directory(String node) {
        return node + ".gossip.directory";
    }

    /** anyone → gossip (request): empty body; reply {@link Directory}. */
    public static String directoryGet(String node) {
        return node + ".gossip.directory.get";
    }

    /** anyone → gossip (request): {@link PeerAddRequest}; reply {@code {ok:true, peer}} or failure 400. */
    public static String peersAdd(String node) {
        return node + ".gossip.peers.add";
    }

    /** stun/turn → gossip (request): {@link ServiceAdvert}; what this node offers browsers, carried in rumors. */
    public static String advertise(String node) {
        return node + ".gossip.advertise";
    }

    /** anyone → gossip (request): empty; reply gossip counters (packets, malformed, routed, bounced). */
    public static String gossipStats(String node) {
        return node + ".gossip.stats";
    }

    /**
     * gossip → anyone (publish): {@link KeyWarning}, a pinned name was claimed with another key and refused.
     * The directory ({@link #directoryGet}) lists the open warnings as {@code keyWarnings}.
     */
    public static String keyWarning(String node) {
        return node + ".gossip.key.warning";
    }

    /**
     * anyone → gossip (request): {@code {name, fingerprint}}, the user accepts the new key of a warning; reply
     * {@code {ok:true}}, or failure 404 when no open warning has that name and fingerprint.
     */
    public static String keyAccept(String node) {
        return node + ".gossip.key.accept";
    }

    /** gateway → turn (request): {@link IceServersRequest}; reply {@link IceServers} of this node (STUN + TURN creds). */
    public static String iceServers(String node) {
        return node + ".ice.servers";
    }

    /** anyone → stun (request): empty; reply STUN counters. */
    public static String stunStats(String node) {
        return node + ".stun.stats";
    }

    /** anyone → turn (request): empty; reply TURN counters. */
    public static String turnStats(String node) {
        return node + ".turn.stats";
    }

    /** anyone → gateway (request): empty; reply the gateway's view of the UI (tab open, call state). */
    public static String gatewayState(String node) {
        return node + ".gateway.state";
    }
}
