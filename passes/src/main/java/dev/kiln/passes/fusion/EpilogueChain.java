package dev.kiln.passes.fusion;

import dev.kiln.ir.Node;
import dev.kiln.ir.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The activation and residual Add (or two-input Sum) that follow a value, each the sole reader of what it reads: activation then Add
 * ({@code after_activation}) or Add then activation ({@code before_activation}, ResNet's order). Collects the nodes it
 * would replace and, for patterns that almost matched, why they did not.
 */
public final class EpilogueChain {
    private final GraphRewrite g;
    private final String base;
    private final List<Node> nodes = new ArrayList<>();
    private final List<String> nearMisses = new ArrayList<>();
    private Activation activation;
    private String residual = "none";
    private Value residualInput;
    private Value output;

    private EpilogueChain(GraphRewrite g, String base, Value start) {
        this.g = g;
        this.base = base;
        this.output = start;
    }

    /** The chain after {@code start}, the output of the op {@code base} describes ("Conv 'c1'"). */
    public static EpilogueChain after(Value start, GraphRewrite g, String base, boolean allowResidual) {
        EpilogueChain c = new EpilogueChain(g, base, start);
        if (c.takeActivation()) {
            if (allowResidual && c.takeResidual()) c.residual = "after_activation";
        } else if (allowResidual && c.takeResidual()) {
            c.residual = "before_activation";
            c.takeActivation();
        }
        return c;
    }

    public boolean isEmpty() { return nodes.isEmpty(); }

    public List<Node> nodes() { return nodes; }

    public Activation activation() { return activation; }

    public String residual() { return residual; }

    public Value residualInput() { return residualInput; }

    public Value output() { return output; }

    public List<String> nearMisses() { return nearMisses; }

    private boolean takeActivation() {
        List<Node> readers = g.uses().readers(output.name());
        if (readers.stream().anyMatch(g::isReplaced)) return false;
        boolean isGraphOutput = g.uses().isGraphOutput(output.name());
        Activation a = isGraphOutput ? null : Activation.of(output, readers, g);
        if (a == null) {
            readers.stream().filter(Activation::isActivationOp).findFirst().ifPresent(act -> nearMisses.add(base + "→" + act.op()
                    + " not fused: '" + output.name() + "' is also " + (isGraphOutput ? "a graph output" : "used by " + others(readers, act))));
            return false;
        }
        activation = a;
        nodes.addAll(a.nodes());
        output = a.output();
        return true;
    }

    private boolean takeResidual() {
        List<Node> readers = g.uses().readers(output.name());
        // A two-input Sum is the same addition (Caffe2-converted ResNets write their residuals that way).
        Node add = readers.stream().filter(n -> n.domain().isEmpty() && (n.op().equals("Add") || n.op().equals("Sum")) && n.inputs().size() == 2)
                .findFirst().orElse(null);
        if (add == null || g.isReplaced(add)) return false;
        Value other = add.input(0).name().equals(output.name()) ? add.input(1) : add.input(0);
        if (other.name().equals(output.name()) || g.constant(other) != null) return false;
        String what = base + "→" + add.op() + " '" + add.name() + "'";
        if (g.soleReader(output) != add) {
            nearMisses.add(what + " not fused: '" + output.name() + "' is also "
                    + (g.uses().isGraphOutput(output.name()) ? "a graph output" : "used by " + others(readers, add)));
            return false;
        }
        if (!other.type().equals(output.type()) || !add.output(0).type().equals(output.type())) {
            nearMisses.add(what + " not fused: residual '" + other.name() + "' " + other.type() + " is not of the output's type " + output.type());
            return false;
        }
        residualInput = other;
        nodes.add(add);
        output = add.output(0);
        return true;
    }

    private static String others(List<Node> readers, Node except) {
        return readers.stream().filter(n -> n != except).map(n -> n.op() + " '" + n.name() + "'").collect(Collectors.joining(", "));
    }
}
