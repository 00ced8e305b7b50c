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
 * One {@link TurnServer} per event loop that receives TURN traffic, created on first use. The STUN server runs
 * a UDP socket per loop (SO_REUSEPORT) and the kernel keeps each client on one socket, so each instance sees all
 * of its clients' packets and owns their relays on the same loop: the hot path takes no lock.
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
