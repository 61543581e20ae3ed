package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.ops.OpRegistry;
import dev.kiln.ir.ops.OpSchema;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Shape inference of the tensor op families, with inputs that are typed values or compile-time constants. */
class TensorOpsInferenceTest {
    /** Builds one node whose inputs are either a {@link TensorType} (a runtime value) or a {@link Tensor} (a constant). */
    private static final class Infer {
        private final String op;
        private final Map<String, Attribute> attrs = new LinkedHashMap<>();
        private int opset = 21;
        private int outputs = 1;

        Infer(String op) { this.op = op; }

        Infer attr(String name, Attribute a) { attrs.put(name, a); return this; }

        Infer opset(int v) { opset = v; return this; }

        Infer outputs(int n) { outputs = n; return this; }

        List<ValueType> run(Object... inputs) {
            List<Value> ins = new ArrayList<>();
            Map<String, Tensor> constants = new HashMap<>();
            for (int i = 0; i < inputs.length; i++) {
                switch (inputs[i]) {
                    case null -> ins.add(Value.ABSENT);
                    case Tensor t -> {
                        ins.add(new Value("c" + i, t.type()));
                        constants.put("c" + i, t);
                    }
                    case TensorType t -> ins.add(new Value("x" + i, t));
                    default -> throw new IllegalArgumentException("input " + i);
                }
            }
            List<Value> outs = new ArrayList<>();
            for (int i = 0; i < outputs; i++) outs.add(new Value("y" + i, TensorType.of(DType.F32)));
            OpSchema schema = OpRegistry.standard().find("", op);
            Node node = new Node("n", "", op, ins, outs, attrs);
            return schema.inference().infer(new InferenceContext(node, schema, opset, constants::get, n -> null));
        }

        TensorType one(Object... inputs) { return (TensorType) run(inputs).getFirst(); }
    }

    private static TensorType f32(Dim... dims) { return new TensorType(DType.F32, Shape.of(List.of(dims))); }

    private static Tensor ints(long... v) { return Tensor.ofLongs(DType.I64, new long[] {v.length}, v); }

    private static final Dim BATCH = Dim.symbolic("batch");

    private static Dim d(long n) { return Dim.of(n); }

    @Test
    void reshapeResolvesMinusOneThroughSymbolicDims() {
        TensorType y = new Infer("Reshape").one(f32(BATCH, d(3), d(4)), ints(0, -1));
        assertEquals(Shape.of(List.of(BATCH, d(12))), y.shape());
        TensorType unknown = new Infer("Reshape").one(f32(BATCH, d(3)), new TensorType(DType.I64, Shape.of(2)));
        assertEquals(Shape.unknownDims(2), unknown.shape());
        assertThrows(InferenceException.class, () -> new Infer("Reshape").one(f32(d(2), d(3)), ints(4, -1)));
    }

    @Test
    void constantShapesMakeStaticOutputs() {
        assertEquals(Shape.of(2, 5), new Infer("ConstantOfShape").one(ints(2, 5)).shape());
        Tensor three = Tensor.scalar(DType.I32, 3);
        assertEquals(Shape.of(3), new Infer("Range").one(Tensor.scalar(DType.I32, 0), three, Tensor.scalar(DType.I32, 1)).shape());
        assertEquals(Shape.of(2), new Infer("Shape").attr("start", Attribute.of(1L)).one(f32(BATCH, d(3), d(4))).shape());
        assertEquals(Shape.of(4, 6), new Infer("Tile").one(f32(d(2), d(3)), ints(2, 2)).shape());
        assertEquals(Shape.of(List.of(BATCH, d(3), d(2))), new Infer("Expand").one(f32(BATCH, d(3), d(1)), ints(1, 1, 2)).shape());
    }

    @Test
    void sliceAndPadFromConstants() {
        TensorType s = new Infer("Slice").one(f32(BATCH, d(10)), ints(-1), ints(Long.MIN_VALUE), ints(1), ints(-3));
        assertEquals(Shape.of(List.of(BATCH, d(4))), s.shape());
        TensorType p = new Infer("Pad").one(f32(d(2), d(3)), ints(1, 0, 1, 2));
        assertEquals(Shape.of(4, 5), p.shape());
        TensorType old = new Infer("Slice").opset(9).attr("starts", Attribute.ints(1)).attr("ends", Attribute.ints(3)).one(f32(d(5)));
        assertEquals(Shape.of(2), old.shape());
    }

    @Test
    void splitSizesByOpset() {
        List<ValueType> parts = new Infer("Split").opset(18).attr("num_outputs", Attribute.of(3L)).outputs(3).run(f32(d(7)));
        assertEquals(List.of(TensorType.of(DType.F32, 3), TensorType.of(DType.F32, 3), TensorType.of(DType.F32, 1)), parts);
        assertThrows(InferenceException.class, () -> new Infer("Split").opset(13).outputs(3).run(f32(d(7))));
        List<ValueType> given = new Infer("Split").opset(11).attr("split", Attribute.ints(1, 6)).outputs(2).run(f32(d(7)));
        assertEquals(TensorType.of(DType.F32, 6), given.get(1));
    }

    @Test
    void reductionsAndArgMax() {
        TensorType kept = new Infer("ReduceMean").opset(13).attr("axes", Attribute.ints(-1)).one(f32(BATCH, d(4)));
        assertEquals(Shape.of(List.of(BATCH, d(1))), kept.shape());
        TensorType dropped = new Infer("ReduceSum").attr("keepdims", Attribute.of(0L)).one(f32(BATCH, d(4)), ints(0));
        assertEquals(Shape.of(4), dropped.shape());
        TensorType dynamic = new Infer("ReduceSum").attr("keepdims", Attribute.of(0L)).one(f32(d(2)), new TensorType(DType.I64, Shape.of(1)));
        assertEquals(Shape.UNKNOWN_RANK, dynamic.shape());
        TensorType arg = new Infer("ArgMax").attr("axis", Attribute.of(1L)).one(f32(d(2), d(5)));
        assertEquals(TensorType.of(DType.I64, 2, 1), arg);
    }

    @Test
    void indexingShapes() {
        TensorType g = new Infer("Gather").attr("axis", Attribute.of(1L)).one(f32(d(2), d(5), d(3)), new TensorType(DType.I64, Shape.of(4, 1)));
        assertEquals(Shape.of(2, 4, 1, 3), g.shape());
        TensorType nd = new Infer("GatherND").attr("batch_dims", Attribute.of(1L)).one(f32(d(2), d(3), d(4)), new TensorType(DType.I64, Shape.of(2, 5, 1)));
        assertEquals(Shape.of(2, 5, 4), nd.shape());
        List<ValueType> top = new Infer("TopK").outputs(2).run(f32(BATCH, d(10)), ints(3));
        assertEquals(List.of(new TensorType(DType.F32, Shape.of(List.of(BATCH, d(3)))), new TensorType(DType.I64, Shape.of(List.of(BATCH, d(3))))), top);
        assertEquals(new TensorType(DType.I64, Shape.of(List.of(d(2), Dim.UNKNOWN))), new Infer("NonZero").one(f32(d(3), d(3))));
    }

    @Test
    void resizeFromScalesOrSizes() {
        Tensor scales = Tensor.ofFloats(new long[] {4}, 1, 1, 2, 0.5f);
        assertEquals(Shape.of(List.of(BATCH, d(3), d(8), d(3))), new Infer("Resize").one(f32(BATCH, d(3), d(4), d(7)), null, scales).shape());
        TensorType sized = new Infer("Resize").attr("axes", Attribute.ints(2, 3)).attr("keep_aspect_ratio_policy", Attribute.of("not_smaller"))
                .one(f32(d(1), d(1), d(2), d(2)), null, null, ints(7, 8));
        assertEquals(Shape.of(1, 1, 8, 8), sized.shape());
        assertThrows(InferenceException.class, () -> new Infer("Resize").one(f32(d(1)), null, null, null));
        assertEquals(Shape.of(2, 4, 5, 2), new Infer("AffineGrid").one(f32(d(2), d(2), d(3)), ints(2, 3, 4, 5)).shape());
    }

    @Test
    void layoutShapes() {
        assertEquals(Shape.of(List.of(d(1), BATCH, d(1))), new Infer("Unsqueeze").one(f32(BATCH), ints(0, -1)).shape());
        assertEquals(Shape.of(List.of(BATCH)), new Infer("Squeeze").opset(11).attr("axes", Attribute.ints(1)).one(f32(BATCH, d(1))).shape());
        assertEquals(Shape.of(List.of(BATCH, d(12))), new Infer("Flatten").one(f32(BATCH, d(3), d(4))).shape());
        assertEquals(Shape.of(List.of(d(4), BATCH)), new Infer("Transpose").one(f32(BATCH, d(4))).shape());
        assertEquals(Shape.of(List.of(BATCH, d(7))), new Infer("Concat").attr("axis", Attribute.of(1L)).one(f32(BATCH, d(3)), f32(BATCH, d(4))).shape());
        assertEquals(Shape.of(1, 2, 6, 6), new Infer("DepthToSpace").attr("blocksize", Attribute.of(3L)).one(f32(d(1), d(18), d(2), d(2))).shape());
        assertThrows(InferenceException.class, () -> new Infer("Concat").attr("axis", Attribute.of(0L)).one(f32(d(1), d(2)), f32(d(1), d(3))));
    }
}
