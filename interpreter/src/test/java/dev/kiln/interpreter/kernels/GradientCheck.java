package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Interpreter;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ops.GraphTyping;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Test support: checks the Gradient op's derivative of one op against central finite differences. The op's output
 * is multiplied by a random weight tensor w (given to Gradient through zs), so that each output element has its own
 * seed and a rule that mixes up elements cannot pass; the Gradient node differentiates the sum of the product with
 * respect to every random input. Inputs are f64, so the finite differences are accurate to ~1e-9.
 */
final class GradientCheck {
    private static final double STEP = 1e-5;
    private static final double TOLERANCE = 1e-6;

    private final String op;
    private final Map<String, Attribute> attributes = new LinkedHashMap<>();
    private final List<Value> inputs = new ArrayList<>();
    private final Map<String, Tensor> constants = new LinkedHashMap<>();
    private final Map<String, RuntimeValue> feed = new LinkedHashMap<>();
    private final List<String> xs = new ArrayList<>();
    private final Random random = new Random(42);
    private int opset = 21;

    private GradientCheck(String op) { this.op = op; }

    static GradientCheck op(String op) { return new GradientCheck(op); }

    GradientCheck attr(String name, Attribute value) { attributes.put(name, value); return this; }

    GradientCheck opset(int version) { opset = version; return this; }

    /** A differentiated input of random values in ±[0.1, 2] (kept off 0, where Relu and Abs have no derivative). */
    GradientCheck input(long... shape) { return add(shape, false); }

    /** A differentiated input of random values in [0.5, 2] (for Log, Sqrt, a Pow base, a divisor). */
    GradientCheck positiveInput(long... shape) { return add(shape, true); }

    /** A constant input (shape, axes, an exponent): not differentiated. */
    GradientCheck constant(Tensor value) {
        String name = "c" + (inputs.size());
        inputs.add(new Value(name, value.type()));
        constants.put(name, value);
        return this;
    }

    private GradientCheck add(long[] shape, boolean positive) {
        Tensor t = random(shape, positive);
        String name = "x" + inputs.size();
        inputs.add(new Value(name, t.type()));
        feed.put(name, t);
        xs.add(name);
        return this;
    }

    private Tensor random(long[] shape, boolean positive) {
        Tensor t = Tensor.zeros(DType.F64, shape);
        for (int i = 0; i < t.size(); i++) {
            double magnitude = positive ? 0.5 + 1.5 * random.nextDouble() : 0.1 + 1.9 * random.nextDouble();
            t.setDouble(i, positive || random.nextBoolean() ? magnitude : -magnitude);
        }
        return t;
    }

    /** Asserts that every input's gradient matches the finite differences; returns the gradients. */
    List<Tensor> check() {
        Node under = new Node("under_test", "", op, inputs, List.of(new Value("out", TensorType.of(DType.F64))), attributes);
        Graph probe = graph(List.of(under), List.of(new Value("out", TensorType.of(DType.F64))), feed);
        long[] outShape = probe.nodes().getFirst().output(0).tensorType().shape().toArray();
        Map<String, RuntimeValue> withWeights = new LinkedHashMap<>(feed);
        withWeights.put("w", random(outShape, false));
        Node weigh = new Node("weigh", "", "Mul", List.of(new Value("out", TensorType.of(DType.F64)),
                new Value("w", TensorType.of(DType.F64, outShape))), List.of(new Value("y", TensorType.of(DType.F64))), Map.of());
        List<Value> gradInputs = new ArrayList<>();
        List<Value> gradOutputs = new ArrayList<>();
        for (String x : xs) {
            gradInputs.add(new Value(x, feed.get(x).type()));
            gradOutputs.add(new Value("d_" + x, TensorType.of(DType.F64)));
        }
        gradInputs.add(new Value("w", TensorType.of(DType.F64, outShape)));
        Node gradient = new Node("gradient", "ai.onnx.preview.training", "Gradient", gradInputs, gradOutputs,
                Map.of("xs", Attribute.strings(xs), "zs", Attribute.strings(List.of("w")), "y", Attribute.of("y")));
        Graph full = graph(List.of(under, weigh, gradient), gradOutputs, withWeights);
        Map<String, RuntimeValue> result = Interpreter.run(full, withWeights);
        Graph forward = graph(List.of(under, weigh), List.of(new Value("y", TensorType.of(DType.F64))), withWeights);
        List<Tensor> grads = new ArrayList<>();
        for (String x : xs) {
            Tensor analytic = (Tensor) result.get("d_" + x);
            Tensor value = (Tensor) feed.get(x);
            assertArrayEquals(value.shape(), analytic.shape(), "gradient shape of " + x);
            for (int i = 0; i < value.size(); i++) {
                double numeric = (sumOfY(forward, withWeights, x, i, STEP) - sumOfY(forward, withWeights, x, i, -STEP)) / (2 * STEP);
                assertEquals(numeric, analytic.getDouble(i), TOLERANCE * Math.max(1, Math.abs(numeric)),
                        op + ": d/d" + x + "[" + i + "]");
            }
            grads.add(analytic);
        }
        return grads;
    }

    private static double sumOfY(Graph forward, Map<String, RuntimeValue> feed, String x, int element, double delta) {
        Map<String, RuntimeValue> shifted = new LinkedHashMap<>(feed);
        Tensor moved = ((Tensor) feed.get(x)).copy();
        moved.setDouble(element, moved.getDouble(element) + delta);
        shifted.put(x, moved);
        double sum = 0;
        for (double v : ((Tensor) Interpreter.run(forward, shifted).get("y")).toDoubles()) sum += v;
        return sum;
    }

    private Graph graph(List<Node> nodes, List<Value> outputs, Map<String, RuntimeValue> fed) {
        List<Value> graphInputs = new ArrayList<>();
        fed.forEach((name, v) -> graphInputs.add(new Value(name, v.type())));
        Graph g = new Graph("gradient_check", graphInputs, outputs, nodes, constants,
                Map.of("", opset, "ai.onnx.preview.training", 1));
        return GraphTyping.type(g, name -> null);
    }
}
