package dev.kiln.ir;

import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.ops.OpSchema;
import dev.kiln.ir.ops.TypeMerging;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.IrPrinter;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Checks one node against its op schema: opset, input and output counts, attributes, and the declared output
 * types against the schema's type inference. Inference runs only when the structural checks pass, since
 * inference code may assume them.
 */
final class NodeSchemaCheck {
    /**
     * Attributes named {@code kiln.*} are compiler annotations (e.g. the memory plan's arena offsets), not op
     * semantics: any node may carry them, no schema declares them, and kernels never read them.
     */
    static final String ANNOTATION_PREFIX = "kiln.";

    private NodeSchemaCheck() {}

    /**
     * Reports each problem of {@code node} to {@code report}. {@code constants} and {@code visibleTypes} see
     * every value in scope (including enclosing graphs); {@code opsets} are the graph's.
     */
    static void check(Node node, OpSchema schema, Map<String, Integer> opsets, Function<String, Tensor> constants,
                      Function<String, ValueType> visibleTypes, Consumer<String> report) {
        String at = node.describe() + ": ";
        int opset = opsets.getOrDefault(node.domain().equals("ai.onnx") ? "" : node.domain(), 0);
        if (opset == 0) {
            report.accept(at + "the graph imports no opset of domain '" + node.domain() + "'");
        } else if (opset < schema.sinceVersion()) {
            report.accept(at + "op exists since opset " + schema.sinceVersion() + ", the graph imports opset " + opset);
        }
        boolean structural = counts(at, "input", node.inputs().size(), schema.minInputs(), schema.maxInputs(), report)
                & counts(at, "output", node.outputs().size(), schema.minOutputs(), schema.maxOutputs(), report)
                & attributes(at, node, schema, report);
        if (structural) inferTypes(at, node, schema, opset, constants, visibleTypes, report);
    }

    private static boolean counts(String at, String what, int count, int min, int max, Consumer<String> report) {
        if (count >= min && count <= max) return true;
        String expected = max == Integer.MAX_VALUE ? "at least " + min : min == max ? Integer.toString(min) : min + " to " + max;
        report.accept(at + "has " + count + " " + what + (count == 1 ? "" : "s") + ", expected " + expected);
        return false;
    }

    private static boolean attributes(String at, Node node, OpSchema schema, Consumer<String> report) {
        boolean ok = true;
        for (AttrSpec spec : schema.attributes().values()) {
            if (spec.required() && !node.hasAttribute(spec.name())) {
                report.accept(at + "missing required attribute '" + spec.name() + "'");
                ok = false;
            }
        }
        for (Map.Entry<String, Attribute> e : node.attributes().entrySet()) {
            if (e.getKey().startsWith(ANNOTATION_PREFIX)) continue;
            AttrSpec spec = schema.attributes().get(e.getKey());
            if (spec == null) {
                report.accept(at + "unknown attribute '" + e.getKey() + "'");
                ok = false;
            } else if (spec.kind() != e.getValue().kind()) {
                report.accept(at + "attribute '" + e.getKey() + "' is " + kindName(e.getValue().kind()) + ", expected "
                        + kindName(spec.kind()));
                ok = false;
            }
        }
        return ok;
    }

    /**
     * Whether two types can describe one value: same kind and element type, equal ranks where both are known,
     * equal sizes where both dims are static (exactly when {@link TypeMerging} can merge them).
     */
    static boolean compatible(ValueType a, ValueType b) {
        try {
            TypeMerging.merge(a, b);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String kindName(Attribute.Kind kind) { return kind.name().toLowerCase(Locale.ROOT); }

    private static void inferTypes(String at, Node node, OpSchema schema, int opset, Function<String, Tensor> constants,
                                   Function<String, ValueType> visibleTypes, Consumer<String> report) {
        List<ValueType> inferred;
        try {
            inferred = schema.inference().infer(new InferenceContext(node, schema, opset, constants, visibleTypes));
        } catch (InferenceException e) {
            report.accept(e.getMessage());
            return;
        } catch (RuntimeException e) {
            report.accept(at + "type inference failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return;
        }
        if (inferred == null || inferred.size() < node.outputs().size()) {
            report.accept(at + "type inference gave " + (inferred == null ? 0 : inferred.size()) + " types for "
                    + node.outputs().size() + " outputs");
            return;
        }
        for (int i = 0; i < node.outputs().size(); i++) {
            Value out = node.outputs().get(i);
            ValueType type = inferred.get(i);
            if (out.isAbsent() || type == null || compatible(out.type(), type)) continue;
            report.accept(at + "output " + i + " declared " + IrPrinter.formatType(out.type()) + " but inferred "
                    + IrPrinter.formatType(type));
        }
    }
}
