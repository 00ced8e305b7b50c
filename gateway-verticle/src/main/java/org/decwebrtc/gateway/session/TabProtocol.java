package org.decwebrtc.gateway.session;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.TabMessages;
import org.decwebrtc.gateway.call.CallMachine;
import org.decwebrtc.gateway.conference.ConferenceMachine;
import org.decwebrtc.gateway.conference.ConferenceTabMessages;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/** Interprets the tab's messages (see {@link TabMessages}) and greets a newly opened tab. */
public final class TabProtocol implements TabListener {
    private final String node;
    private final CallMachine machine;
    private final Consumer<JsonObject> toTab;
    private final Supplier<Future<JsonObject>> iceServers;
    private final Supplier<Future<JsonObject>> directory;
    private final Function<String, Future<String>> addPeer;
    private final ConferenceMachine conferences;
    private final ConferenceTabMessages conferenceMessages;
    private final ContactActions contacts;

    /** What the user does about other users' keys; each returns an error for the tab, or null. */
    public interface ContactActions {
        /** The user compared the safety number with {@code name} and marks the key verified. */
        String verify(String name);

        /** The user accepts the new key a known name now comes with. */
        String acceptKey(String name);
    }

    public TabProtocol(String node, CallMachine machine, Consumer<JsonObject> toTab,
                       Supplier<Future<JsonObject>> iceServers, Supplier<Future<JsonObject>> directory,
                       Function<String, Future<String>> addPeer, ConferenceMachine conferences) {
        this(node, machine, toTab, iceServers, directory, addPeer, conferences, new ContactActions() {
            @Override
            public String verify(String name) {
                return "verification is not available on this node";
            }

            @Override
            public String acceptKey(String name) {
                return "verification is not available on this node";
            }
        });
    }

    public TabProtocol(String node, CallMachine machine, Consumer<JsonObject> toTab,
                       Supplier<Future<JsonObject>> iceServers, Supplier<Future<JsonObject>> directory,
                       Function<String, Future<String>> addPeer, ConferenceMachine conferences,
                       ContactActions contacts) {
        this.contacts = contacts;
        this.node = node;
        this.machine = machine;
        this.toTab = toTab;
        this.iceServers = iceServers;
        this.directory = directory;
        this.addPeer = addPeer;
        this.conferences = conferences;
        this.conferenceMessages = new ConferenceTabMessages(conferences);
    }

    @Override
    public void opened() {
        toTab.accept(new JsonObject().put("type", TabMessages.ToTab.HELLO).put("name", node));
        machine.tabOpened();
        conferences.tabOpened();
        directory.get().onSuccess(d -> toTab.accept(d.copy().put("type", TabMessages.ToTab.DIRECTORY)));
        iceServers.get().onSuccess(toTab::accept);
    }

    @Override
    public String message(JsonObject message) {
        String type = message.getString("type");
        return switch (type) {
            case TabMessages.FromTab.CALL -> {
                String to = text(message, "to");
                yield to == null ? "'call' needs 'to', the name of the user to call" : machine.call(to);
            }
            case TabMessages.FromTab.ACCEPT -> otherCall(message) != null ? otherCall(message) : machine.accept();
            case TabMessages.FromTab.REJECT -> otherCall(message) != null ? otherCall(message)
                    : machine.reject(text(message, "reason"));
            case TabMessages.FromTab.LEAVE -> otherCall(message) != null ? otherCall(message)
                    : machine.leave(text(message, "reason"));
            case TabMessages.FromTab.OFFER, TabMessages.FromTab.ANSWER -> {
                if (!(message.getValue("sdp") instanceof String)) {
                    yield "'" + type + "' needs an 'sdp' string";
                }
                yield machine.relayFromTab(type, new JsonObject().put("sdp", message.getString("sdp")),
                        text(message, CallMachine.CALL_ID));
            }
            case TabMessages.FromTab.CANDIDATE -> {
                if (!(message.getValue("candidate") instanceof JsonObject candidate)) {
                    yield "'candidate' needs a 'candidate' object";
                }
                yield machine.relayFromTab(type, new JsonObject().put("candidate", candidate),
                        text(message, CallMachine.CALL_ID));
            }
            case TabMessages.FromTab.ICE_SERVERS -> {
                iceServers.get().onSuccess(toTab::accept);
                yield null;
            }
            case TabMessages.FromTab.ADD_PEER -> {
                String peer = text(message, "peer");
                addPeer.apply(peer).onComplete(added -> toTab.accept(added.succeeded()
                        ? new JsonObject().put("type", TabMessages.ToTab.PEER_ADDED).put("peer", added.result())
                        .put("message", "added peer " + added.result())
                        : new JsonObject().put("type", TabMessages.ToTab.ERROR)
                        .put("message", "cannot add peer: " + added.cause().getMessage())));
                yield null;
            }
            case TabMessages.FromTab.VERIFY, TabMessages.FromTab.ACCEPT_KEY -> {
                String name = text(message, "name");
                if (name == null) {
                    yield "'" + type + "' needs 'name', the user whose key it is";
                }
                String problem = type.equals(TabMessages.FromTab.VERIFY) ? contacts.verify(name) : contacts.acceptKey(name);
                if (problem == null) {
                    directory.get().onSuccess(d -> toTab.accept(d.copy().put("type", TabMessages.ToTab.DIRECTORY)));
                }
                yield problem;
            }
            case TabMessages.FromTab.PING -> {
                toTab.accept(new JsonObject().put("type", TabMessages.ToTab.PONG));
                yield null;
            }
            default -> ConferenceTabMessages.handles(type) ? conferenceMessages.message(message)
                    : "unknown message type '" + (type.length() > 40 ? type.substring(0, 40) + "…" : type) + "'";
        };
    }

    /**
     * An error when the message names a call that is not the current one: a hang-up clicked just as the next call
     * came in must not end that one. (A message without {@code call} means the current call.)
     */
    private String otherCall(JsonObject message) {
        String call = text(message, CallMachine.CALL_ID);
        return call == null || call.equals(machine.callId()) ? null
                : "'" + message.getString("type") + "' belongs to another call";
    }

    /** A string field, or null when absent or of another JSON type (Vert.x would turn 42 into "42"). */
    private static String text(JsonObject message, String key) {
        Object value = message.getValue(key);
        if (!(value instanceof String s)) {
            return null;
        }
        return s.length() > 1000 ? s.substring(0, 1000) : s;
    }

    @Override
    public void closed() {
        machine.tabClosed();
        conferences.tabClosed();
    }
}
