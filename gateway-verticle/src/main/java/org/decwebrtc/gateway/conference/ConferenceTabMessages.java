package org.decwebrtc.gateway.conference;

import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.TabMessages;

/** The tab's conference messages (see {@link TabMessages}), checked for shape and handed to the machine. */
public final class ConferenceTabMessages {
    private final ConferenceMachine machine;

    public ConferenceTabMessages(ConferenceMachine machine) {
        this.machine = machine;
    }

    public static boolean handles(String type) {
        return type.startsWith("conf-");
    }

    /** Returns an error text for the tab, or null. */
    public String message(JsonObject message) {
        String type = message.getString("type");
        if (TabMessages.FromTab.CONF_START.equals(type)) {
            return machine.start(text(message, "title"));
        }
        String conf = text(message, "conf");
        if (conf == null) {
            return "'" + type + "' needs 'conf', the conference id";
        }
        String leg = text(message, "leg");
        if (leg != null && !ConferenceText.validLeg(leg)) {
            return "'leg' must be up to 64 letters, digits, '-' or '_'";
        }
        return switch (type) {
            case TabMessages.FromTab.CONF_INVITE -> machine.invite(conf, text(message, "user"));
            case TabMessages.FromTab.CONF_JOIN -> machine.join(conf);
            case TabMessages.FromTab.CONF_DECLINE -> machine.decline(conf);
            case TabMessages.FromTab.CONF_LEAVE -> machine.leave(conf);
            case TabMessages.FromTab.CONF_DROP -> machine.dropFromTab(conf, text(message, "user"));
            case TabMessages.FromTab.CONF_LEGS -> message.getValue("connected") instanceof io.vertx.core.json.JsonArray
                    ? machine.legsFromTab(conf, ConferenceText.names(message.getValue("connected")))
                    : "'conf-legs' needs 'connected', an array of user names";
            case TabMessages.FromTab.CONF_OFFER, TabMessages.FromTab.CONF_ANSWER -> {
                if (!(message.getValue("sdp") instanceof String sdp)) {
                    yield "'" + type + "' needs an 'sdp' string";
                }
                yield machine.relayFromTab(type, conf, text(message, "user"), withLeg(new JsonObject().put("sdp", sdp), leg));
            }
            case TabMessages.FromTab.CONF_CANDIDATE -> {
                if (!(message.getValue("candidate") instanceof JsonObject candidate)) {
                    yield "'conf-candidate' needs a 'candidate' object";
                }
                yield machine.relayFromTab(type, conf, text(message, "user"),
                        withLeg(new JsonObject().put("candidate", candidate), leg));
            }
            default -> "unknown conference message '" + (type.length() > 40 ? type.substring(0, 40) + "…" : type) + "'";
        };
    }

    private static JsonObject withLeg(JsonObject payload, String leg) {
        return leg == null ? payload : payload.put("leg", leg);
    }

    private static String text(JsonObject message, String key) {
        Object value = message.getValue(key);
        return value instanceof String s && s.length() <= 1000 ? s : null;
    }
}
