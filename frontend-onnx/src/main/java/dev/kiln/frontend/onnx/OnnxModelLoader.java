package dev.kiln.frontend.onnx;

import dev.kiln.ir.Graph;
import dev.kiln.runtime.spi.ModelLoader;

import java.nio.file.Path;
import java.util.Locale;

/** The runtime's entry to the importer: loads {@code .onnx} files, and files whose first bytes read as a ModelProto. */
public final class OnnxModelLoader implements ModelLoader {
    @Override
    public String format() { return "onnx"; }

    @Override
    public boolean accepts(Path file, byte[] head) {
        Path name = file.getFileName();
        if (name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) return true;
        return head.length > 0 && startsLikeModelProto(head[0] & 0xFF);
    }

    /**
     * Whether the first protobuf tag is one a ModelProto starts with: ir_version (field 1, varint), as writers
     * emit first, or one of the model's other top-level fields.
     */
    private static boolean startsLikeModelProto(int tag) {
        int field = tag >>> 3;
        int wireType = tag & 7;
        return switch (field) {
            case 1, 5 -> wireType == 0;            // ir_version, model_version
            case 2, 3, 4, 6, 7, 8 -> wireType == 2; // producer, domain, doc, graph, opset_import
            default -> false;
        };
    }

    @Override
    public Graph load(Path file) { return OnnxImporter.importFile(file); }
}
