package dev.kiln.passes.layout;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;

import java.util.List;

/**
 * A layout a 4-D NCHW value can be held in besides NCHW, as {@link LayoutRewriter} needs it: the type of a value
 * in that form, the nodes converting to and from it, the twin an image op becomes, and which ops follow along.
 */
public interface ChannelLayout {
    /** The layout's name in explanations, e.g. {@code NHWC}. */
    String name();

    /** Appended to a value's name for its form in this layout, e.g. {@code _nhwc}. */
    String suffix();

    /** How the name of a conversion node to this form ({@code toForm}) or back to NCHW starts. */
    String conversionPrefix(boolean toForm);

    /** The type of a 4-D NCHW value of type {@code nchw} in this form. */
    TensorType form(TensorType nchw);

    /** Why {@code node} (a 4-D image op) can't run as its twin, or null when it can. */
    String whyNoTwin(Node node);

    /** The twin of {@code node} reading {@code inputs} (input 0 in this form) and making {@code out}. */
    Node twin(Node node, List<Value> inputs, Value out);

    /** True when the elementwise {@code node} of {@code graph} computes the same in this form given its operands in it. */
    boolean follows(Node node, Graph graph);

    /** Why the 4-D {@code operand} of a follower making {@code out} can't be read in this form, or null. */
    String whyNotCarried(Value operand, Value out);

    /** True when single-element operands of the follower {@code node} may stay as they are (they broadcast alike). */
    boolean scalarsFollow(Node node);

    /** A node named {@code name} making {@code to} (this form) from {@code from} (NCHW). */
    Node toForm(String name, Value from, Value to);

    /** A node named {@code name} making {@code to} (NCHW) from {@code from} (this form). */
    Node toNchw(String name, Value from, Value to);
}
