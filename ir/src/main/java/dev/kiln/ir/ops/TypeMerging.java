package dev.kiln.ir.ops;

import dev.kiln.ir.Dim;
import dev.kiln.ir.OptionalType;
import dev.kiln.ir.SequenceType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;

import java.util.ArrayList;
import java.util.List;

/**
 * Combines the type a model declares for a value with the type inference computes, keeping the more precise of
 * each part: a known rank over an unknown one, a static dim over a symbolic one, a symbolic dim over an unknown one.
 * Parts that contradict each other (element types, ranks, two different static sizes) are an error.
 */
public final class TypeMerging {
    private TypeMerging() {}

    /** The merged type; throws {@link IllegalArgumentException} saying what disagrees. */
    public static ValueType merge(ValueType declared, ValueType inferred) {
        return switch (declared) {
            case TensorType d when inferred instanceof TensorType i -> {
                if (d.dtype() != i.dtype()) {
                    throw new IllegalArgumentException("declared type " + d + " has element type " + d.dtype()
                            + " but inference gives " + i);
                }
                yield new TensorType(d.dtype(), mergeShapes(d, i));
            }
            case SequenceType d when inferred instanceof SequenceType i -> new SequenceType(merge(d.element(), i.element()));
            case OptionalType d when inferred instanceof OptionalType i -> new OptionalType(merge(d.element(), i.element()));
            default -> throw new IllegalArgumentException("declared type " + declared + " but inference gives " + inferred);
        };
    }

    private static Shape mergeShapes(TensorType declared, TensorType inferred) {
        Shape d = declared.shape();
        Shape i = inferred.shape();
        if (!d.hasRank()) return i;
        if (!i.hasRank()) return d;
        if (d.rank() != i.rank()) {
            throw new IllegalArgumentException("declared type " + declared + " has rank " + d.rank() + " but inference gives " + inferred);
        }
        List<Dim> dims = new ArrayList<>(d.rank());
        for (int k = 0; k < d.rank(); k++) {
            Dim a = d.dim(k);
            Dim b = i.dim(k);
            if (a.isStatic() && b.isStatic() && a.size() != b.size()) {
                throw new IllegalArgumentException("declared type " + declared + " disagrees with inferred " + inferred + " in dim " + k);
            }
            dims.add(a.isStatic() || (a.isSymbolic() && !b.isStatic()) || b.isUnknown() ? a : b);
        }
        return Shape.of(dims);
    }
}
