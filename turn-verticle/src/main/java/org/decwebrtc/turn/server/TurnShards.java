package org.decwebrtc.turn.server;

import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One {@link TurnServer} per event loop that receives TURN traffic. The STUN server runs a UDP socket per loop
 * (SO_REUSEPORT) and the kernel keeps each client on one socket, so each instance sees all of its clients'
 * requests and ChannelData and owns their allocations without locks. The kernel's 4-tuple hash does not balance
 * a few busy clients (four of them land 3 + 1 or 4 + 0 on two loops more often than not), so the relay socket
 * of a new allocation, where the peer side is read, goes to the least loaded loop instead: the two halves of
 * the relaying work are placed apart when the hash is lopsided.
 */
public final class TurnShards {
    private final Map<EventLoop, TurnServer> byLoop = new ConcurrentHashMap<>();
    private final Function<EventLoop, TurnServer> factory;

    public TurnShards(Function<EventLoop, TurnServer> factory) {
        this.factory = factory;
    }

    /** The instance of the calling event loop; handlers are always called on one. */
    public TurnServer here() {
        EventLoop loop = ((ContextInternal) Vertx.currentContext()).nettyEventLoop();
        TurnServer s = byLoop.get(loop);
        return s != null ? s : byLoop.computeIfAbsent(loop, factory);
    }

    /** Creates the instances of loops known in advance (the UDP sockets' loops), so relays can go there at once. */
    public void prepare(List<EventLoop> loops) {
        loops.forEach(loop -> byLoop.computeIfAbsent(loop, factory));
    }

    /**
     * The instance whose loop hosts the relay socket of an allocation {@code owner} is creating: the one with the
     * least {@link TurnServer#load()} (the owner on a tie), whose load is counted up at once.
     */
    public TurnServer relayHost(TurnServer owner) {
        TurnServer best = owner;
        int least = owner.load();
        for (TurnServer s : byLoop.values()) {
            int load = s.load();
            if (load < least) {
                best = s;
                least = load;
            }
        }
        best.loadAdded();
        return best;
    }

    /** Each loop's {@link TurnServer#load()}: allocations it owns plus relay sockets it hosts. */
    public List<Integer> loads() {
        return byLoop.values().stream().map(TurnServer::load).toList();
    }

    public int size() {
        return byLoop.size();
    }

    /** Expiry runs on each instance's own loop. */
    public void sweep() {
        byLoop.values().forEach(s -> s.loop().execute(s::sweep));
    }

    /** Ends every allocation on every loop; completes when all are closed. */
    public Future<Void> closeAll() {
        List<Future<Void>> done = new ArrayList<>();
        for (TurnServer s : byLoop.values()) {
            Promise<Void> p = Promise.promise();
            s.loop().execute(() -> {
                try {
                    s.closeAll();
                } finally {
                    p.complete();
                }
            });
            done.add(p.future());
        }
        return Future.all(done).mapEmpty();
    }
}
