package dev.kiln.backend.opencl.offline;

import dev.kiln.ir.json.JsonParser;
import dev.kiln.ir.json.JsonText;
import dev.kiln.runtime.KilnException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link HostManifest} as JSON, through the IR's one JSON writer and reader. Reading fails with one line that
 * names the file and the field that is missing or of the wrong kind.
 */
public final class ManifestJson {
    private ManifestJson() {}

    public static String write(HostManifest m) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", HostManifest.FORMAT);
        json.put("graph", m.graph());
        json.put("graph_hash", m.graphHash());
        json.put("target", m.target());
        json.put("program", Map.of("source", m.sourceFile(), "source_sha256", m.sourceSha256()));
        json.put("inputs", m.inputs().stream().map(ManifestJson::port).toList());
        json.put("outputs", m.outputs().stream().map(ManifestJson::port).toList());
        json.put("buffers", m.buffers().stream().map(b -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", b.name());
            o.put("role", b.role().name().toLowerCase(Locale.ROOT));
            o.put("dtype", b.dtype());
            o.put("bytes", b.bytes());
            o.put("views", b.views());
            return o;
        }).toList());
        json.put("kernels", m.kernels().stream().map(k -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", k.name());
            o.put("node", k.node());
            o.put("args", k.args());
            return o;
        }).toList());
        Map<String, Object> weights = new LinkedHashMap<>();
        weights.put("file", m.weights().file());
        weights.put("byte_order", "little-endian");
        weights.put("bytes", m.weights().bytes());
        weights.put("slices", m.weights().slices().stream().map(s -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("buffer", s.buffer());
            o.put("offset", s.offset());
            o.put("bytes", s.bytes());
            return o;
        }).toList());
        json.put("weights", weights);
        json.put("files", m.files());
        return JsonText.write(json);
    }

    /** Parses {@code text}, the content of {@code where} (named in errors). */
    public static HostManifest read(String text, String where) {
        Object parsed;
        try {
            parsed = JsonParser.parse(text);
        } catch (IllegalArgumentException e) {
            throw new KilnException(where + ": not a JSON host manifest: " + e.getMessage());
        }
        Fields root = new Fields(where, "", parsed);
        String format = root.string("format");
        if (!format.equals(HostManifest.FORMAT)) {
            throw new KilnException(where + ": manifest format '" + format + "', this Kiln reads '" + HostManifest.FORMAT + "'");
        }
        Fields program = root.object("program");
        Fields weights = root.object("weights");
        return new HostManifest(root.string("graph"), root.string("graph_hash"), root.string("target"),
                root.list("inputs", ManifestJson::port), root.list("outputs", ManifestJson::port),
                root.list("buffers", b -> new HostManifest.Buffer(b.string("name"), role(b), b.string("dtype"), b.number("bytes"), b.strings("views"))),
                root.list("kernels", k -> new HostManifest.Kernel(k.string("name"), k.string("node"), k.strings("args"))),
                new HostManifest.Weights(weights.string("file"), weights.number("bytes"),
                        weights.list("slices", s -> new HostManifest.Slice(s.string("buffer"), s.number("offset"), s.number("bytes")))),
                program.string("source"), program.string("source_sha256"), root.stringMap("files"));
    }

    private static Map<String, Object> port(HostManifest.Port p) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", p.name());
        o.put("dtype", p.dtype());
        o.put("shape", p.shape());
        o.put("buffer", p.buffer());
        return o;
    }

    private static HostManifest.Port port(Fields p) {
        return new HostManifest.Port(p.string("name"), p.string("dtype"), p.list("shape", f -> f.asNumber()), p.string("buffer"));
    }

    private static HostManifest.Role role(Fields buffer) {
        String role = buffer.string("role");
        try {
            return HostManifest.Role.valueOf(role.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw buffer.error("role", "is '" + role + "', not input, weight, output or intermediate");
        }
    }

    /** One JSON value at {@code path} in file {@code where}, read as the manifest expects it. */
    private record Fields(String where, String path, Object value) {
        private Object field(String name) {
            if (!(value instanceof Map<?, ?> map)) throw new KilnException(where + ": " + (path.isEmpty() ? "the manifest" : path) + " is not an object");
            if (!map.containsKey(name)) throw error(name, "is missing");
            return map.get(name);
        }

        String string(String name) {
            if (field(name) instanceof String s) return s;
            throw error(name, "is not a string");
        }

        long number(String name) {
            if (field(name) instanceof Long n) return n;
            throw error(name, "is not an integer");
        }

        Long asNumber() {
            if (value instanceof Long n) return n;
            throw new KilnException(where + ": " + path + " is not an integer");
        }

        String asString() {
            if (value instanceof String s) return s;
            throw new KilnException(where + ": " + path + " is not a string");
        }

        Fields object(String name) { return new Fields(where, child(name), field(name)); }

        <T> List<T> list(String name, Function<Fields, T> element) {
            if (!(field(name) instanceof List<?> items)) throw error(name, "is not a list");
            return java.util.stream.IntStream.range(0, items.size())
                    .mapToObj(i -> element.apply(new Fields(where, child(name) + "[" + i + "]", items.get(i)))).toList();
        }

        List<String> strings(String name) { return list(name, Fields::asString); }

        Map<String, String> stringMap(String name) {
            if (!(field(name) instanceof Map<?, ?> map)) throw error(name, "is not an object");
            Map<String, String> strings = new LinkedHashMap<>();
            map.forEach((k, v) -> strings.put((String) k, new Fields(where, child(name) + "." + k, v).asString()));
            return strings;
        }

        KilnException error(String name, String problem) { return new KilnException(where + ": " + child(name) + " " + problem); }

        private String child(String name) { return path.isEmpty() ? name : path + "." + name; }
    }
}
