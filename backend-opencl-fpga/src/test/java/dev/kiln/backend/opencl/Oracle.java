package dev.kiln.backend.opencl;

import dev.kiln.backend.opencl.cl.ClDevices;
import dev.kiln.backend.opencl.render.RenderOptions;
import dev.kiln.interpreter.Interpreter;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.IrParser;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.spi.Executable;
import dev.kiln.runtime.spi.KernelChoice;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs an IR graph on the OpenCL backend and on the reference interpreter with the same seeded random inputs and
 * asserts every output agrees to {@code 1e-4 * max(1, |expected|)} (float32 sums in another order drift).
 */
public final class Oracle {
    private static final double TOLERANCE = 1e-4;

    private Oracle() {}

    /** Checks {@code irText} with random float32 inputs in [-2, 2); returns the kernel chosen for each node. */
    static List<KernelChoice> agree(String irText) { return agree(irText, Map.of()); }

    /** As {@link #agree(String)}, with {@code fixed} inputs (shapes, pads) given rather than random. */
    static List<KernelChoice> agree(String irText, Map<String, Tensor> fixed) { return agree(irText, fixed, r -> r); }

    /** As {@link #agree(String)}, with the device's default render options changed by {@code render}. */
    static List<KernelChoice> agree(String irText, UnaryOperator<RenderOptions> render) { return agree(irText, Map.of(), render); }

    private static List<KernelChoice> agree(String irText, Map<String, Tensor> fixed, UnaryOperator<RenderOptions> render) {
        OpenClDevice.require();
        Graph graph = IrParser.parse(irText);
        Map<String, RuntimeValue> inputs = new HashMap<>(fixed);
        Random random = new Random(42);
        for (Value v : graph.inputs()) {
            if (!inputs.containsKey(v.name())) inputs.put(v.name(), random(v.tensorType(), random));
        }
        Map<String, RuntimeValue> expected = Interpreter.run(graph, inputs);
        RenderOptions options = render.apply(RenderOptions.defaults(ClDevices.get().devices().getFirst().localMemBytes()));
        Executable executable = new OpenClBackend().compile(graph, CompileOptions.defaults(), options);
        Map<String, RuntimeValue> actual;
        try (Executable.Runner runner = executable.newRunner()) {
            actual = runner.run(inputs);
        }
        for (Value out : graph.outputs()) assertClose(out.name(), (Tensor) expected.get(out.name()), (Tensor) actual.get(out.name()));
        return executable.kernels();
    }

    public static Tensor random(TensorType type, Random random) {
        long[] shape = type.shape().toArray();
        float[] values = new float[Tensor.checkedSize(shape)];
        for (int i = 0; i < values.length; i++) values[i] = random.nextFloat() * 4 - 2;
        return Tensor.ofFloats(shape, values);
    }

    /** {@code const %name: f32[shape] = dense<[...]>} with seeded values in [-1, 1). */
    public static String constant(String name, long... shape) {
        Random random = new Random(name.hashCode());
        List<String> values = new ArrayList<>();
        for (int i = 0; i < Tensor.checkedSize(shape); i++) values.add(Float.toString(random.nextFloat() * 2 - 1));
        return "  const %" + name + ": f32" + Shape.format(shape) + " = dense<[" + String.join(", ", values) + "]>\n";
    }

    static void assertClose(String what, Tensor expected, Tensor actual) {
        if (actual == null) fail(what + ": no output");
        assertTrue(actual.dtype() == DType.F32, what + ": dtype " + actual.dtype());
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape " + Shape.format(actual.shape()));
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.getDouble(i);
            double a = actual.getDouble(i);
            if (Double.isNaN(e) && Double.isNaN(a)) continue;
            if (!(Math.abs(a - e) <= TOLERANCE * Math.max(1, Math.abs(e)))) {
                fail(what + " element " + i + ": got " + a + ", expected " + e);
            }
        }
    }
}
