package dev.kiln.passes.memory;

import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.DimProduct;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Byte sizes of values for planning. Static dims are exact; a symbolic dim takes the size its symbols are bound to
 * (the planner's options; a product such as {@code 4*batch} multiplies them), and every symbol used is remembered so the plan can say what it assumed. Values without
 * a fixed size (unknown dims or rank, strings, sequences, optionals) are not planned, and the reason is given.
 */
final class BufferSizes {
    /** A value's size in bytes, or why it has none. */
    record Size(long bytes, String whyNot) {
        boolean known() { return whyNot == null; }
    }

    private final ToLongFunction<String> symbolSize;
    private final Map<String, Long> symbolsUsed = new TreeMap<>();

    /** {@code symbolSize} gives each symbolic dim's planning size. */
    BufferSizes(ToLongFunction<String> symbolSize) { this.symbolSize = symbolSize; }

    Size of(Value v) {
        if (!(v.type() instanceof TensorType t)) return new Size(-1, "it is a " + v.type() + ", not a tensor");
        if (t.dtype() == DType.STRING) return new Size(-1, "strings have no fixed byte size");
        Shape shape = t.shape();
        if (!shape.hasRank()) return new Size(-1, "its rank is unknown");
        long elements = 1;
        for (int i = 0; i < shape.rank(); i++) {
            Dim d = shape.dim(i);
            long size;
            if (d.isStatic()) {
                size = d.size();
            } else if (d.isSymbolic()) {
                try {
                    size = DimProduct.of(d).evaluate(this::symbol);
                } catch (ArithmeticException e) {
                    return new Size(-1, "its size overflows a long");
                }
            } else {
                return new Size(-1, "dim " + i + " of " + shape + " is unknown");
            }
            try {
                elements = Math.multiplyExact(elements, size);
            } catch (ArithmeticException e) {
                return new Size(-1, "its size overflows a long");
            }
        }
        return new Size(elements * t.dtype().storageBytes(), null);
    }

    private long symbol(String name) {
        long size = symbolSize.applyAsLong(name);
        symbolsUsed.put(name, size);
        return size;
    }

    /** Every symbolic dim met so far and the size it was planned at. */
    Map<String, Long> symbolsUsed() { return symbolsUsed; }
}
