package dev.kiln.backend.cpu.plan;

import dev.kiln.ir.tensor.RuntimeValue;

/**
 * One runner's values during a run, a slot per value of the graph (constants sit in theirs from the start), and each
 * step's state for this runner.
 */
public final class Frame {
    private final RuntimeValue[] slots;
    final Object[] states;

    Frame(int size, Object[] states) {
        this.slots = new RuntimeValue[size];
        this.states = states;
    }

    public RuntimeValue get(int slot) { return slots[slot]; }

    public void set(int slot, RuntimeValue value) { slots[slot] = value; }

    void clear(int slot) { slots[slot] = null; }
}
