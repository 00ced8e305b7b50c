package org.decwebrtc.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code -config node.json} (or {@code .yaml}/{@code .yml}): the same options as the command line, named without
 * the dash. The file's entries become arguments in front of the command line's, so they pass through the same
 * converters and validation; an option also given on the command line is taken from there only.
 */
final class ConfigFile {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final ObjectMapper YAML = YAMLMapper.builder().build();

    private ConfigFile() {
    }

    /** {@code args} with the entries of the config file they name (if any) in front; throws {@link IllegalArgumentException}. */
    static String[] withFileArgs(String[] args, CommandSpec spec) {
        Path file = configPath(args);
        if (file == null) {
            return args;
        }
        List<String> all = new ArrayList<>();
        JsonNode root = read(file);
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            OptionSpec option = entry.getKey().startsWith("-") || entry.getKey().equals("config") ? null
                    : spec.findOption(entry.getKey());
            if (option == null || option.usageHelp() || option.versionHelp()) {
                throw new IllegalArgumentException("-config " + file + ": unknown key '" + entry.getKey() + "'");
            }
            if (!givenIn(args, option)) {
                all.addAll(asArgs(file, entry.getKey(), option, entry.getValue()));
            }
        }
        all.addAll(Arrays.asList(args));
        return all.toArray(String[]::new);
    }

    private static JsonNode read(Path file) {
        String lower = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        ObjectMapper mapper = lower.endsWith(".yaml") || lower.endsWith(".yml") ? YAML : JSON;
        JsonNode root;
        try {
            root = mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("-config " + file + ": " + e.getMessage().lines().findFirst().orElse("unreadable"));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("-config " + file + ": expected an object of option names to values");
        }
        return root;
    }

    private static List<String> asArgs(Path file, String key, OptionSpec option, JsonNode value) {
        String flag = option.longestName();
        if (option.arity().max() == 0) {
            if (!value.isBoolean()) {
                throw new IllegalArgumentException("-config " + file + ": '" + key + "' must be true or false");
            }
            return value.booleanValue() ? List.of(flag) : List.of();
        }
        List<String> values = new ArrayList<>();
        if (value.isArray()) {
            if (!option.isMultiValue()) {
                throw new IllegalArgumentException("-config " + file + ": '" + key + "' takes one value, not a list");
            }
            value.forEach(v -> values.add(scalar(file, key, v)));
        } else {
            values.add(scalar(file, key, value));
        }
        List<String> result = new ArrayList<>();
        if (!option.splitRegex().isEmpty() && !values.isEmpty()) {
            result.add(flag);
            result.add(String.join(",", values));
        } else {
            for (String v : values) {
                result.add(flag);
                result.add(v);
            }
        }
        return result;
    }

    private static String scalar(Path file, String key, JsonNode v) {
        if (!v.isValueNode() || v.isNull()) {
            throw new IllegalArgumentException("-config " + file + ": '" + key + "' must be a string, number or boolean");
        }
        return v.asText();
    }

    /** Whether the command line names this option itself ({@code -x v} or {@code -x=v}). */
    private static boolean givenIn(String[] args, OptionSpec option) {
        for (String a : args) {
            for (String n : option.names()) {
                if (a.equals(n) || a.startsWith(n + "=")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The value of {@code -config}/{@code --config} on the command line, or null. */
    private static Path configPath(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("-config") || a.equals("--config")) && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (a.startsWith("-config=") || a.startsWith("--config=")) {
                return Path.of(a.substring(a.indexOf('=') + 1));
            }
        }
        return null;
    }
}
