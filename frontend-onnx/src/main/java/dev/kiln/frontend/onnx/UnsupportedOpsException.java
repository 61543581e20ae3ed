package dev.kiln.frontend.onnx;

import java.util.List;

/**
 * The model uses ops Kiln does not implement (no op schema): a typed case of {@link ImportException}, so callers such
 * as the conformance runner can tell "not implemented" from "broken model".
 */
public class UnsupportedOpsException extends ImportException {
    private final List<String> ops;

    /** {@code nodes} describe each unsupported node; {@code ops} are their distinct qualified op names. */
    public UnsupportedOpsException(String source, List<String> nodes, List<String> ops) {
        super(source + ": " + nodes.size() + " unsupported op" + (nodes.size() == 1 ? "" : "s") + ": " + String.join(", ", nodes));
        this.ops = List.copyOf(ops);
    }

    /** The distinct qualified names of the unsupported ops ({@code Foo}, {@code ai.onnx.ml:Bar}), in graph order. */
    public List<String> ops() { return ops; }
}
