package dev.kiln.backend.cpu.plan;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.HashSet;
import java.util.Set;

/**
 * A generic step that computes a function of shapes only (a Shape → Gather → Concat → ConstantOfShape chain that an
 * exported model builds from a symbolic batch): it reruns the reference kernel only when an input's shape (for the
 * data input of Shape and Size) or an input value's identity (everything else: constants and the results of other
 * memoized steps, which are never written after) changed since the last run, and otherwise hands out the last
 * results again, so a warm run allocates nothing for the chain.
 */
final class MemoizedStep implements Step {
    private static final Set<String> VIEW_OPS = Set.of("Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity");

    private final Step inner;
    private final String description;
    private final int[] inputs;
    private final boolean[] shapeOnly;
    private final int[] outputs;

    private MemoizedStep(Step inner, Node node, Slots slots) {
        this.inner = inner;
        this.description = inner.describe() + ", memoized on shapes";
        this.inputs = slots.of(node.inputs());
        this.outputs = slots.of(node.outputs());
        this.shapeOnly = new boolean[inputs.length];
        boolean readsShape = node.domain().isEmpty() && (node.op().equals("Shape") || node.op().equals("Size"));
        if (readsShape && inputs.length > 0) shapeOnly[0] = true;
    }

    private static final class State {
        final Object innerState;
        RuntimeValue[] seen;
        long[][] shapes;
        RuntimeValue[] results;

        State(Object innerState) { this.innerState = innerState; }
    }

    /**
     * Wraps every generic step of {@code graph} whose result depends on shapes only: each input a constant, the
     * result of another such step or a view of one, or the data input of Shape or Size. {@code steps} is changed in place.
     */
    static void wrapShapeFunctions(Graph graph, Slots slots, Step[] steps) {
        Set<String> derived = new HashSet<>(graph.constants().keySet());
        for (int i = 0; i < steps.length; i++) {
            Node node = graph.nodes().get(i);
            if (!eligible(node, derived)) continue;
            if (steps[i] instanceof GenericStep) steps[i] = new MemoizedStep(steps[i], node, slots);
            // A fast step may rewrite the same output object with new contents, so only a view (a new object
            // whenever its input is another) passes the identity on; other fast results end the chain.
            else if (!VIEW_OPS.contains(node.op()) || !node.domain().isEmpty()) continue;
            for (Value out : node.outputs()) if (!out.isAbsent()) derived.add(out.name());
        }
    }

    private static boolean eligible(Node node, Set<String> derived) {
        if (node.op().contains("Random") || node.op().equals("Multinomial") || node.op().equals("Bernoulli")) return false;
        if (node.attributes().values().stream().anyMatch(a -> a.kind() == Attribute.Kind.GRAPH || a.kind() == Attribute.Kind.GRAPHS)) return false;
        boolean readsShape = node.domain().isEmpty() && (node.op().equals("Shape") || node.op().equals("Size"));
        for (int j = 0; j < node.inputs().size(); j++) {
            Value in = node.inputs().get(j);
            if (in.isAbsent() || (readsShape && j == 0) || derived.contains(in.name())) continue;
            return false;
        }
        return !node.outputs().isEmpty();
    }

    /** The inner step keeps buffers of its own: its results are handed out again on later runs, after the arena region the plan gave them has been reused. */
    @Override
    public Object newState(StepMemory memory) { return new State(inner.newState(StepMemory.own())); }

    @Override
    public void run(Frame frame, Object stateObject) {
        State s = (State) stateObject;
        if (s.results != null && unchanged(frame, s)) {
            for (int i = 0; i < outputs.length; i++) if (outputs[i] != Slots.ABSENT) frame.set(outputs[i], s.results[i]);
            return;
        }
        inner.run(frame, s.innerState);
        RuntimeValue[] seen = new RuntimeValue[inputs.length];
        long[][] shapes = new long[inputs.length][];
        for (int j = 0; j < inputs.length; j++) {
            RuntimeValue v = inputs[j] == Slots.ABSENT ? null : frame.get(inputs[j]);
            if (shapeOnly[j] && v instanceof Tensor t) shapes[j] = t.shape();
            else seen[j] = v;
        }
        RuntimeValue[] results = new RuntimeValue[outputs.length];
        for (int i = 0; i < outputs.length; i++) results[i] = outputs[i] == Slots.ABSENT ? null : frame.get(outputs[i]);
        s.seen = seen;
        s.shapes = shapes;
        s.results = results;
    }

    private boolean unchanged(Frame frame, State s) {
        for (int j = 0; j < inputs.length; j++) {
            RuntimeValue v = inputs[j] == Slots.ABSENT ? null : frame.get(inputs[j]);
            if (s.shapes[j] != null) {
                if (!(v instanceof Tensor t) || !sameShape(s.shapes[j], t)) return false;
            } else if (v != s.seen[j]) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameShape(long[] shape, Tensor t) {
        if (shape.length != t.rank()) return false;
        for (int a = 0; a < shape.length; a++) if (shape[a] != t.dim(a)) return false;
        return true;
    }

    @Override
    public String describe() { return description; }
}
