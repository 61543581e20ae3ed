package dev.kiln.runtime.artifact;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The meta section: {@code key=value} lines, UTF-8. {@code kiln_version}, {@code java_version} (the feature
 * release whose javac compiled the kernels), {@code device}, {@code arena_bytes}, and one {@code option.NAME}
 * line per compile option recorded.
 */
final class ArtifactMeta {
    static final String KILN_VERSION = "kiln_version";
    static final String JAVA_VERSION = "java_version";
    static final String DEVICE = "device";
    static final String ARENA_BYTES = "arena_bytes";
    static final String OPTION = "option.";

    private ArtifactMeta() {}

    static String format(Artifact a) {
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put(KILN_VERSION, a.kilnVersion());
        lines.put(JAVA_VERSION, Integer.toString(a.javaFeatureVersion()));
        lines.put(DEVICE, a.device());
        lines.put(ARENA_BYTES, Long.toString(a.arenaBytes()));
        new TreeMap<>(a.options()).forEach((k, v) -> lines.put(OPTION + k, v));
        StringBuilder b = new StringBuilder();
        lines.forEach((k, v) -> {
            if (k.contains("=") || k.contains("\n") || v.contains("\n")) {
                throw new IllegalArgumentException("artifact meta entries are single lines without '=' in the key: " + k);
            }
            b.append(k).append('=').append(v).append('\n');
        });
        return b.toString();
    }

    /** The entries of a meta section; IllegalArgumentException for a line without {@code =}. */
    static Map<String, String> parse(String text) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) continue;
            int eq = line.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("meta line without '=': " + line);
            entries.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return entries;
    }

    /** The {@code option.NAME} entries, without the prefix. */
    static Map<String, String> options(Map<String, String> meta) {
        Map<String, String> options = new TreeMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith(OPTION)) options.put(k.substring(OPTION.length()), v);
        });
        return options;
    }
}
