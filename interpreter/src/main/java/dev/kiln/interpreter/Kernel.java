package dev.kiln.interpreter;

import dev.kiln.ir.tensor.RuntimeValue;

import java.util.List;

/** The reference implementation of one op: inputs in, one value per node output out. */
@FunctionalInterface
public interface Kernel {
    List<RuntimeValue> run(KernelContext ctx);
}
