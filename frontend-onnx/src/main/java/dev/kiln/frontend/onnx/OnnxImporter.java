package dev.kiln.frontend.onnx;

import dev.kiln.frontend.onnx.proto.ModelProto;
import dev.kiln.frontend.onnx.proto.OperatorSetIdProto;
import dev.kiln.ir.Graph;
import dev.kiln.ir.ops.GraphTyping;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.ops.OpRegistry;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports an ONNX model into a typed Kiln {@link Graph}: parses the file within {@link ImportLimits}, inlines
 * model-local functions, converts the graph, rejects ops the {@link OpRegistry} does not know (all of them in one
 * message), and types every value with {@link GraphTyping}. Every failure is an {@link ImportException} whose
 * one-line message starts with the source.
 */
public final class OnnxImporter {
    private OnnxImporter() {}

    /** Imports a {@code .onnx} file; external data is read from the file's folder. */
    public static Graph importFile(Path file) {
        ModelProto model = ProtoFiles.parse(file, ModelProto.parser(), "ONNX model");
        Path folder = file.toAbsolutePath().getParent();
        return importModel(model, folder, file.toString());
    }

    /**
     * Imports a parsed model. {@code folder} is where external data may be read from (null: nowhere);
     * {@code source} names the model in error messages.
     */
    public static Graph importModel(ModelProto model, Path folder, String source) {
        try {
            if (!model.hasGraph()) throw new InvalidModelException("not an ONNX model: it has no graph");
            ModelProto inlined = FunctionInliner.inline(model);
            DeclaredTypes declared = new DeclaredTypes();
            Graph graph = new GraphConverter(new ExternalData(folder), opsets(inlined), declared, inlined.getGraph())
                    .convertMain(inlined.getGraph());
            List<String> unsupported = OpSupport.unsupported(graph, OpRegistry.standard());
            if (!unsupported.isEmpty()) {
                throw new UnsupportedOpsException(source, unsupported, OpSupport.unsupportedOps(graph, OpRegistry.standard()));
            }
            return GraphTyping.type(graph, OpRegistry.standard(), declared::get);
        } catch (InvalidModelException | InferenceException e) {
            throw new ImportException(source + ": " + e.getMessage(), e);
        } catch (ImportException e) {
            throw e;
        } catch (RuntimeException e) {
            // A defect this importer has no specific check for still ends as a typed, one-line error.
            throw new ImportException(source + ": cannot import: " + e, e);
        }
    }

    /** Opset version by domain ({@code ai.onnx} read as the default domain); models before IR version 3 mean opset 1. */
    private static Map<String, Integer> opsets(ModelProto model) {
        Map<String, Integer> opsets = new LinkedHashMap<>();
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            String domain = o.getDomain().equals("ai.onnx") ? "" : o.getDomain();
            if (o.getVersion() < 1 || o.getVersion() > Integer.MAX_VALUE) {
                throw new InvalidModelException("opset import of domain '" + domain + "' has bad version " + o.getVersion());
            }
            opsets.merge(domain, (int) o.getVersion(), Math::max);
        }
        if (opsets.isEmpty()) opsets.put("", 1);
        return opsets;
    }
}
