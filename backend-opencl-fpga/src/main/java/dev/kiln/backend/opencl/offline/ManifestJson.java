package dev.kiln.backend.opencl.offline;

import dev.kiln.backend.opencl.render.RenderOptions;
import dev.kiln.backend.opencl.render.Streaming;
import dev.kiln.ir.json.JsonParser;
import dev.kiln.ir.json.JsonText;
import dev.kiln.runtime.KilnException;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

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
        json.put("program", object("source", m.program().sourceFile(), "source_sha256", m.program().sourceSha256(),
                "build_options", m.program().buildOptions(), "render", render(m.render())));
        json.put("inputs", m.inputs().stream().map(ManifestJson::port).toList());
        json.put("outputs", m.outputs().stream().map(ManifestJson::port).toList());
        json.put("buffers", m.buffers().stream().map(b -> object("name", b.name(), "role", b.role().name().toLowerCase(Locale.ROOT),
                "dtype", b.dtype(), "bytes", b.bytes(), "views", b.views())).toList());
        json.put("kernels", m.kernels().stream().map(k -> object("name", k.name(), "node", k.node(), "args", k.args(), "stage", k.stage())).toList());
        json.put("streams", m.streams().stream().map(s -> object("id", s.id(), "value", s.value(), "producer", s.producer(),
                "consumer", s.consumer(), "elements", s.elements(), "depth", s.depth())).toList());
        json.put("weights", object("file", m.weights().file(), "byte_order", "little-endian", "bytes", m.weights().bytes(),
                "slices", m.weights().slices().stream().map(s -> object("buffer", s.buffer(), "offset", s.offset(), "bytes", s.bytes())).toList()));
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
        JsonFields root = new JsonFields(where, "", parsed);
        String format = root.string("format");
        if (!format.equals(HostManifest.FORMAT)) {
            throw new KilnException(where + ": manifest format '" + format + "', this Kiln reads '" + HostManifest.FORMAT + "'");
        }
        JsonFields program = root.object("program");
        JsonFields weights = root.object("weights");
        return new HostManifest(root.string("graph"), root.string("graph_hash"), root.string("target"),
                new HostManifest.Program(program.string("source"), program.string("source_sha256"), program.string("build_options"),
                        render(program.object("render"))),
                root.list("inputs", ManifestJson::port), root.list("outputs", ManifestJson::port),
                root.list("buffers", b -> new HostManifest.Buffer(b.string("name"), constant(b, "role", HostManifest.Role.class),
                        b.string("dtype"), b.number("bytes"), b.strings("views"))),
                root.list("kernels", k -> new HostManifest.Kernel(k.string("name"), k.string("node"), k.strings("args"), k.integer("stage"))),
                root.list("streams", s -> new HostManifest.Stream(s.string("id"), s.string("value"), s.string("producer"), s.string("consumer"),
                        s.number("elements"), s.integer("depth"))),
                new HostManifest.Weights(weights.string("file"), weights.number("bytes"),
                        weights.list("slices", s -> new HostManifest.Slice(s.string("buffer"), s.number("offset"), s.number("bytes")))),
                root.map("files", JsonFields::asString));
    }

    private static Map<String, Object> render(RenderOptions r) {
        return object("max_unroll", r.maxUnroll(), "local_bytes_per_layer", r.localBytesPerLayer(),
                "unroll_by_node", new java.util.TreeMap<>(r.unrollByNode()), "streaming", r.streaming().name().toLowerCase(Locale.ROOT),
                "stream_depth", r.streamDepth());
    }

    private static RenderOptions render(JsonFields r) {
        Map<String, Integer> unroll = r.map("unroll_by_node", f -> Math.toIntExact(f.asNumber()));
        try {
            return new RenderOptions(r.integer("max_unroll"), r.number("local_bytes_per_layer"), unroll,
                    constant(r, "streaming", Streaming.class), r.integer("stream_depth"));
        } catch (IllegalArgumentException e) {
            throw new KilnException(r.where() + ": " + r.path() + ": " + e.getMessage());
        }
    }

    private static Map<String, Object> port(HostManifest.Port p) {
        return object("name", p.name(), "dtype", p.dtype(), "shape", p.shape(), "buffer", p.buffer());
    }

    private static HostManifest.Port port(JsonFields p) {
        return new HostManifest.Port(p.string("name"), p.string("dtype"), p.list("shape", JsonFields::asNumber), p.string("buffer"));
    }

    /** The enum constant {@code field} spells in lower case. */
    private static <E extends Enum<E>> E constant(JsonFields f, String field, Class<E> type) {
        String word = f.string(field);
        try {
            return Enum.valueOf(type, word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw f.error(field, "is '" + word + "', not one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
        }
    }

    /** An ordered JSON object of alternating keys and values. */
    private static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> o = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) o.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return o;
    }
}
