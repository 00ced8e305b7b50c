package org.decwebrtc.gateway.session;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.TabMessages;

import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;

/**
 * The node's single browser tab. A node has one user, so a second tab would race the first for calls: it is told
 * "already open" and closed. Messages are reassembled from frames here rather than by Vert.x so that an oversized
 * message is counted and dropped without being held, and the sender gets an error while the socket stays up.
 *
 * <p>A tab that stops answering (a laptop closed mid-call, a half-open connection) would keep the node "already
 * open" for everyone else: the session pings it (browsers answer WebSocket pings by themselves, even in a
 * background tab) and closes it after {@code idleMillis} without a frame from it.
 */
public final class TabSession {
    private static final Logger LOG = Logger.getLogger(TabSession.class.getName());
    static final String ALREADY_OPEN = "decwebrtc is already open in another tab; use that one or close it and reload";

    /** Default: silent this long, the tab is taken as gone. */
    public static final long IDLE_MILLIS = 60_000;

    private final Vertx vertx;
    private final TabListener listener;
    private final long idleMillis;
    private ServerWebSocket current;
    private long lastHeard;
    private long idleTimer = -1;

    public TabSession(Vertx vertx, TabListener listener) {
        this(vertx, listener, IDLE_MILLIS);
    }

    public TabSession(Vertx vertx, TabListener listener, long idleMillis) {
        this.vertx = vertx;
        this.listener = listener;
        this.idleMillis = idleMillis;
    }

    public boolean isOpen() {
        return current != null;
    }

    public void attach(ServerWebSocket socket) {
        if (current != null) {
            socket.writeTextMessage(new JsonObject().put("type", TabMessages.ToTab.ALREADY_OPEN)
                            .put("message", ALREADY_OPEN).encode())
                    .onComplete(x -> socket.close((short) 4001, "already open in another tab"));
            return;
        }
        current = socket;
        lastHeard = System.nanoTime();
        Reassembler reassembler = new Reassembler(socket);
        socket.frameHandler(frame -> {
            lastHeard = System.nanoTime();
            reassembler.handle(frame);
        });
        socket.pongHandler(pong -> lastHeard = System.nanoTime());
        long period = Math.max(10, idleMillis / 3);
        idleTimer = vertx.setPeriodic(period, id -> {
            if (current != socket) {
                vertx.cancelTimer(id);
            } else if (System.nanoTime() - lastHeard > idleMillis * 1_000_000L) {
                LOG.info(() -> "tab silent for " + idleMillis + " ms: closing it so the node can be opened again");
                socket.close((short) 4002, "idle");
                detach(socket);
            } else {
                socket.writePing(Buffer.buffer("alive?"));
            }
        });
        socket.closeHandler(v -> detach(socket));
        socket.exceptionHandler(e -> LOG.fine(() -> "tab socket: " + e));
        listener.opened();
    }

    private void detach(ServerWebSocket socket) {
        if (current == socket) {
            current = null;
            vertx.cancelTimer(idleTimer);
            listener.closed();
        }
    }

    public void send(JsonObject message) {
        if (current != null) {
            current.writeTextMessage(message.encode());
        }
    }

    private void error(ServerWebSocket socket, String text) {
        socket.writeTextMessage(new JsonObject().put("type", TabMessages.ToTab.ERROR).put("message", text).encode());
    }

    private void deliver(ServerWebSocket socket, Buffer data) {
        JsonObject message;
        try {
            message = new JsonObject(data.toString(StandardCharsets.UTF_8));
        } catch (DecodeException | ClassCastException e) {
            error(socket, "malformed message: expected a JSON object with a 'type'");
            return;
        }
        if (!(message.getValue("type") instanceof String)) {
            error(socket, "malformed message: 'type' is missing");
            return;
        }
        String problem;
        try {
            problem = listener.message(message);
        } catch (RuntimeException e) {
            // A field of the wrong JSON type, for instance: the tab hears about it, the node carries on.
            problem = "bad '" + message.getString("type") + "' message: " + e.getMessage();
        }
        if (problem != null) {
            error(socket, problem);
        }
    }

    /** Collects one message's frames, up to {@link TabMessages#MAX_MESSAGE_BYTES}; beyond that only counts them. */
    private final class Reassembler implements io.vertx.core.Handler<WebSocketFrame> {
        private final ServerWebSocket socket;
        private Buffer pending = Buffer.buffer();
        private long size;
        private boolean binary;

        Reassembler(ServerWebSocket socket) {
            this.socket = socket;
        }

        @Override
        public void handle(WebSocketFrame frame) {
            if (!(frame.isText() || frame.isBinary() || frame.isContinuation())) {
                return;
            }
            if (!frame.isContinuation()) {
                pending = Buffer.buffer();
                size = 0;
                binary = frame.isBinary();
            }
            Buffer data = frame.binaryData();
            size += data.length();
            if (size <= TabMessages.MAX_MESSAGE_BYTES) {
                pending.appendBuffer(data);
            } else {
                pending = Buffer.buffer();
            }
            if (!frame.isFinal()) {
                return;
            }
            if (binary) {
                error(socket, "binary messages are not understood; send JSON text");
            } else if (size > TabMessages.MAX_MESSAGE_BYTES) {
                error(socket, "message too large: " + size + " bytes, limit " + TabMessages.MAX_MESSAGE_BYTES);
            } else {
                deliver(socket, pending);
            }
            pending = Buffer.buffer();
            size = 0;
        }
    }
}
