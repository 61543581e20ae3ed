package dev.kiln.backend.cpu.plan;

import dev.kiln.ir.tensor.RuntimeValue;

/** One runner's values during a run, a slot per value of the graph; constants sit in their slots from the start. */
public final class Frame {
    private final RuntimeValue[] slots;

    Frame(int size) { slots = new RuntimeValue[size]; }

    public RuntimeValue get(int slot) { return slots[slot]; }

    public void set(int slot, RuntimeValue value) { slots[slot] = value; }

    void clear(int slot) { slots[slot] = null; }
}
