package dev.kiln.ir.ops;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.DimProduct;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.tensor.Tensor;

import java.util.List;
import java.util.function.Function;

/**
 * What type inference sees of one node: its input types, its attributes (with the schema's defaults), the values
 * of inputs that are constants, the opset version, and the types of values visible from enclosing graphs (for
 * subgraph attributes of If, Loop and Scan).
 */
public final class InferenceContext {
    private final Node node;
    private final OpSchema schema;
    private final int opset;
    private final Function<String, Tensor> constants;
    private final Function<String, ValueType> visibleTypes;
    private final Function<String, List<DimProduct>> shapeValues;

    public InferenceContext(Node node, OpSchema schema, int opset, Function<String, Tensor> constants,
                            Function<String, ValueType> visibleTypes) {
        this(node, schema, opset, constants, visibleTypes, name -> null);
    }

    /** {@code shapeValues}: the symbolic values of non-constant integer values computed from shapes ({@link ShapeValues}). */
    public InferenceContext(Node node, OpSchema schema, int opset, Function<String, Tensor> constants,
                            Function<String, ValueType> visibleTypes, Function<String, List<DimProduct>> shapeValues) {
        this.node = node;
        this.schema = schema;
        this.opset = opset;
        this.constants = constants;
        this.visibleTypes = visibleTypes;
        this.shapeValues = shapeValues;
    }

    public Node node() { return node; }

    public OpSchema schema() { return schema; }

    /** The opset version of the node's domain in the model. */
    public int opset() { return opset; }

    public int inputCount() { return node.inputs().size(); }

    public boolean hasInput(int i) { return !node.input(i).isAbsent(); }

    public ValueType inputType(int i) {
        Value v = node.input(i);
        if (v.isAbsent()) throw fail("input " + i + " is required");
        return v.type();
    }

    /** Input {@code i}'s tensor type; fails with a clear message when it is a sequence or optional. */
    public TensorType input(int i) {
        if (inputType(i) instanceof TensorType t) return t;
        throw fail("input " + i + " must be a tensor, got " + inputType(i));
    }

    public DType inputDType(int i) { return input(i).dtype(); }

    public Shape inputShape(int i) { return input(i).shape(); }

    /** The value of input {@code i} when it is a constant known at compile time, else null. */
    public Tensor constantInput(int i) {
        Value v = node.input(i);
        return v.isAbsent() ? null : constants.apply(v.name());
    }

    /**
     * The flat value of integer input {@code i} as products of dims ({@link ShapeValues}): a constant's numbers, or
     * what shape inference followed of a value computed from shapes; null when neither. An element is null where
     * only that element is not known.
     */
    public List<DimProduct> shapeValueInput(int i) {
        Value v = node.input(i);
        if (v.isAbsent()) return null;
        Tensor t = constants.apply(v.name());
        return t != null ? ShapeValues.ofConstant(t) : shapeValues.apply(v.name());
    }

    /** The type of a value visible by name from this node (used to type subgraph captures). */
    public ValueType visibleType(String name) { return visibleTypes.apply(name); }

    public Function<String, ValueType> visibleTypes() { return visibleTypes; }

    public Function<String, Tensor> constants() { return constants; }

    /** The attribute as set on the node, else the schema's default, else null. */
    public Attribute attr(String name) {
        Attribute a = node.attribute(name);
        if (a != null) return a;
        AttrSpec spec = schema.attributes().get(name);
        return spec == null ? null : spec.defaultValue();
    }

    public boolean hasAttr(String name) { return node.hasAttribute(name); }

    public long intAttr(String name) { return require(name).asInt(); }

    public long intAttr(String name, long fallback) {
        Attribute a = attr(name);
        return a == null ? fallback : a.asInt();
    }

    public float floatAttr(String name) { return require(name).asFloat(); }

    public String stringAttr(String name) { return require(name).asString(); }

    /** The ints attribute, or null when neither set nor defaulted. */
    public long[] intsAttr(String name) {
        Attribute a = attr(name);
        return a == null ? null : a.asInts();
    }

    public Graph graphAttr(String name) { return require(name).asGraph(); }

    private Attribute require(String name) {
        Attribute a = attr(name);
        if (a == null) throw fail("attribute '" + name + "' is required");
        return a;
    }

    /** An inference error naming the node: {@code node 'x' (Conv): <message>}. */
    public InferenceException fail(String message) {
        return new InferenceException(node.describe() + ": " + message);
    }

    /** Convenience for single-output ops. */
    public static List<ValueType> one(ValueType t) { return List.of(t); }
}
