package dev.kiln.cli;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.runtime.ModelException;
import dev.kiln.runtime.spi.ModelLoader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Test support: a {@link ModelLoader} for tiny graphs built in code, so the CLI can be tested without the ONNX
 * importer. A test model file is the line {@code KILNTEST} followed by the model's name; the graphs use the ops of
 * {@link TestKernels} (domain {@code test.kiln}).
 */
public final class TestModels implements ModelLoader {
    static final String MAGIC = "KILNTEST\n";

    /** Writes a test model file naming {@code model}: scale, pair, spin, digits, exhaust or unsupported. */
    static Path write(Path file, String model) throws IOException {
        Files.writeString(file, MAGIC + model + "\n");
        return file;
    }

    @Override
    public String format() { return "kiln-test"; }

    @Override
    public boolean accepts(Path file, byte[] head) {
        return new String(head, StandardCharsets.ISO_8859_1).startsWith(MAGIC);
    }

    @Override
    public Graph load(Path file) throws IOException {
        String name = Files.readString(file).substring(MAGIC.length()).strip();
        return switch (name) {
            case "scale" -> scale();
            case "pair" -> pair();
            case "spin" -> spin();
            case "digits" -> digits();
            case "exhaust" -> oneNode("Exhaust");
            case "unsupported" -> oneNode("NoSuchOp");
            default -> throw new ModelException(file + ": no test model '" + name + "'");
        };
    }

    /** {@code y = 2 x} for {@code x: f32[2,3]}. */
    static Graph scale() {
        Value x = new Value("x", TensorType.of(DType.F32, 2, 3));
        Value y = new Value("y", TensorType.of(DType.F32, 2, 3));
        Node n = new Node("scale", TestKernels.DOMAIN, "Scale", List.of(x), List.of(y), Map.of("factor", Attribute.of(2f)));
        return graph("scale", List.of(x), List.of(y), List.of(n));
    }

    /** Two inputs, {@code a: f32[2]} scaled into {@code a2} and {@code b: f32[2]} scaled into {@code b2}. */
    static Graph pair() {
        Value a = new Value("a", TensorType.of(DType.F32, 2));
        Value b = new Value("b", TensorType.of(DType.F32, 2));
        Value a2 = new Value("a2", TensorType.of(DType.F32, 2));
        Value b2 = new Value("b2:0", TensorType.of(DType.F32, 2));
        Node na = new Node("na", TestKernels.DOMAIN, "Scale", List.of(a), List.of(a2), Map.of("factor", Attribute.of(2f)));
        Node nb = new Node("nb", TestKernels.DOMAIN, "Scale", List.of(b), List.of(b2), Map.of("factor", Attribute.of(3f)));
        return graph("pair", List.of(a, b), List.of(a2, b2), List.of(na, nb));
    }

    /** Spins until interrupted, then passes {@code x: f32[1]} through. */
    static Graph spin() {
        Value x = new Value("x", TensorType.of(DType.F32, 1));
        Value y = new Value("y", TensorType.of(DType.F32, 1));
        Value z = new Value("z", TensorType.of(DType.F32, 1));
        Node spin = new Node("spin", TestKernels.DOMAIN, "Spin", List.of(x), List.of(y), Map.of());
        Node after = new Node("after", TestKernels.DOMAIN, "Scale", List.of(y), List.of(z), Map.of("factor", Attribute.of(1f)));
        return graph("spin", List.of(x), List.of(z), List.of(spin, after));
    }

    /** One node of {@code op} (domain test.kiln) from {@code x: f32[1]} to {@code y: f32[1]}. */
    static Graph oneNode(String op) {
        Value x = new Value("x", TensorType.of(DType.F32, 1));
        Value y = new Value("y", TensorType.of(DType.F32, 1));
        return graph(op, List.of(x), List.of(y), List.of(new Node("n", TestKernels.DOMAIN, op, List.of(x), List.of(y), Map.of())));
    }

    /** A "classifier" of {@code image: f32[batch,1,8,8]}: the predicted class is round(9 · mean pixel). */
    static Graph digits() {
        Value image = new Value("image", new TensorType(DType.F32,
                Shape.of(List.of(Dim.symbolic("batch"), Dim.of(1), Dim.of(8), Dim.of(8)))));
        Value logits = new Value("logits", new TensorType(DType.F32, Shape.of(List.of(Dim.symbolic("batch"), Dim.of(10)))));
        Node n = new Node("classify", TestKernels.DOMAIN, "MeanClass", List.of(image), List.of(logits), Map.of());
        return graph("digits", List.of(image), List.of(logits), List.of(n));
    }

    private static Graph graph(String name, List<Value> in, List<Value> out, List<Node> nodes) {
        return new Graph(name, in, out, nodes, Map.of(), Map.of("", 21, TestKernels.DOMAIN, 1));
    }
}
