package org.decwebrtc.api.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.json.JsonObject;

import java.util.Iterator;
import java.util.Map;

/** The one place config records become JSON and back (Jackson maps records by their component names). */
public final class ConfigJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private ConfigJson() {
    }

    public static JsonObject toJson(Object config) {
        try {
            return new JsonObject(MAPPER.writeValueAsString(config));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("config not serializable: " + e.getMessage(), e);
        }
    }

    /** {@code json} laid over {@code defaults} (objects merged key by key, anything else replaced), then validated. */
    public static <T> T fromJson(JsonObject json, T defaults, Class<T> type) {
        try {
            ObjectNode merged = MAPPER.valueToTree(defaults);
            merge(merged, MAPPER.readTree(json == null ? "{}" : json.encode()));
            return MAPPER.treeToValue(merged, type);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException("unknown config key '" + e.getPropertyName() + "' in " + path(e));
        } catch (JsonProcessingException e) {
            throw userError(e);
        }
    }

    private static String path(UnrecognizedPropertyException e) {
        return e.getPath().size() <= 1 ? "the node config" : "'" + e.getPath().get(e.getPath().size() - 2).getFieldName() + "'";
    }

    /** The validation message of a record's constructor, without Jackson's location decorations. */
    private static IllegalArgumentException userError(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException iae) {
                return iae;
            }
        }
        return new IllegalArgumentException("bad config: " + e.getOriginalMessage());
    }

    private static void merge(ObjectNode into, JsonNode over) {
        if (!over.isObject()) {
            throw new IllegalArgumentException("config must be a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode existing = into.get(field.getKey());
            if (existing instanceof ObjectNode target && field.getValue().isObject()) {
                merge(target, field.getValue());
            } else {
                into.set(field.getKey(), field.getValue());
            }
        }
    }
}
