package dev.kiln.backend.cpu.plan;

import dev.kiln.interpreter.Interpreter;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * An op without a fast CPU kernel, run by the reference interpreter's kernel: correct for every op the interpreter
 * supports, allocating its results on the heap. The support matrix lists the ops that take this path.
 */
final class GenericStep implements Step {
    private final Node node;
    private final Graph graph;
    private final Slots slots;
    private final int[] inputs;
    private final int[] outputs;

    GenericStep(Node node, Graph graph, Slots slots) {
        this.node = node;
        this.graph = graph;
        this.slots = slots;
        this.inputs = slots.of(node.inputs());
        this.outputs = slots.of(node.outputs());
    }

    @Override
    public void run(Frame frame, Object state) {
        List<RuntimeValue> args = new ArrayList<>(inputs.length);
        for (int slot : inputs) args.add(slot == Slots.ABSENT ? null : frame.get(slot));
        List<RuntimeValue> results = Interpreter.runNode(node, graph, args, name -> {
            Integer slot = slots.find(name);
            return slot == null ? null : frame.get(slot);
        });
        StepMemory memory = (StepMemory) state;
        for (int i = 0; i < outputs.length; i++) {
            if (outputs[i] == Slots.ABSENT) continue;
            RuntimeValue result = results.get(i);
            // A reference kernel may hand back its input or a view of it; one in the arena is reused after this node.
            if (result instanceof Tensor t && memory.inArena(t)) result = t.copy();
            frame.set(outputs[i], result);
        }
    }

    /** The step keeps nothing but needs to know the arena, to copy results that alias it. */
    @Override
    public Object newState(StepMemory memory) { return memory; }

    @Override
    public String describe() { return node.describe() + ": generic (reference kernel)"; }
}
