package dev.kiln.ir.ops;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Node;
import dev.kiln.ir.SequenceType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ValueType;

import java.util.ArrayList;
import java.util.List;

/**
 * The types ONNX's control-flow ops pass into their bodies, for bodies whose inputs the model leaves untyped
 * (ONNX allows that; its own function expansions do it). Loop passes the iteration number, the condition and the
 * loop-carried values; Scan (opset 9 on) the state values and one slice of each scanned input; SequenceMap one
 * element of each sequence input and the other inputs as they are.
 */
final class BodyInputTypes {
    private BodyInputTypes() {}

    /** One type per body input, or null when the op is not one of these (or its inputs do not fit). */
    static List<ValueType> of(Node node, String attribute, int opset) {
        if (!node.domain().isEmpty() || !attribute.equals("body")) return null;
        return switch (node.op()) {
            case "Loop" -> loop(node);
            case "Scan" -> opset >= 9 ? scan(node) : null;
            case "SequenceMap" -> sequenceMap(node);
            default -> null;
        };
    }

    private static List<ValueType> loop(Node node) {
        List<ValueType> types = new ArrayList<>();
        types.add(new TensorType(DType.I64, Shape.SCALAR));
        types.add(new TensorType(DType.BOOL, Shape.SCALAR));
        for (int i = 2; i < node.inputs().size(); i++) {
            if (node.input(i).isAbsent()) return null;
            types.add(node.input(i).type());
        }
        return types;
    }

    private static List<ValueType> scan(Node node) {
        Attribute count = node.attribute("num_scan_inputs");
        if (count == null || count.kind() != Attribute.Kind.INT) return null;
        int scanned = (int) Math.min(count.asInt(), Integer.MAX_VALUE);
        int states = node.inputs().size() - scanned;
        if (scanned < 0 || states < 0) return null;
        Attribute axesAttr = node.attribute("scan_input_axes");
        long[] axes = axesAttr != null && axesAttr.kind() == Attribute.Kind.INTS ? axesAttr.asInts() : new long[scanned];
        if (axes.length != scanned) return null;
        List<ValueType> types = new ArrayList<>();
        for (int i = 0; i < node.inputs().size(); i++) {
            Value in = node.input(i);
            if (in.isAbsent()) return null;
            if (i < states) {
                types.add(in.type());
            } else if (in.type() instanceof TensorType t) {
                types.add(new TensorType(t.dtype(), withoutAxis(t.shape(), axes[i - states])));
            } else {
                return null;
            }
        }
        return types;
    }

    private static Shape withoutAxis(Shape shape, long axis) {
        if (!shape.hasRank()) return Shape.UNKNOWN_RANK;
        int rank = shape.rank();
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) return Shape.UNKNOWN_RANK;
        List<Dim> dims = new ArrayList<>(shape.dims());
        dims.remove((int) a);
        return Shape.of(dims);
    }

    private static List<ValueType> sequenceMap(Node node) {
        List<ValueType> types = new ArrayList<>();
        for (Value in : node.inputs()) {
            if (in.isAbsent()) return null;
            types.add(in.type() instanceof SequenceType s ? s.element() : in.type());
        }
        return types;
    }
}
