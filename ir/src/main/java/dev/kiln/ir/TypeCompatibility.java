package dev.kiln.ir;

import java.util.List;

/**
 * Whether two types can describe the same value: same kind and element type, and shapes that do not contradict
 * each other (equal rank when both are known, equal sizes where both dims are static). A symbolic or unknown
 * dim, or an unknown rank, agrees with anything.
 */
public final class TypeCompatibility {
    private TypeCompatibility() {}

    public static boolean compatible(ValueType a, ValueType b) {
        return switch (a) {
            case TensorType ta -> b instanceof TensorType tb && ta.dtype() == tb.dtype() && compatible(ta.shape(), tb.shape());
            case SequenceType sa -> b instanceof SequenceType sb && compatible(sa.element(), sb.element());
            case OptionalType oa -> b instanceof OptionalType ob && compatible(oa.element(), ob.element());
        };
    }

    public static boolean compatible(Shape a, Shape b) {
        if (!a.hasRank() || !b.hasRank()) return true;
        if (a.rank() != b.rank()) return false;
        List<Dim> da = a.dims();
        List<Dim> db = b.dims();
        for (int i = 0; i < da.size(); i++) {
            if (da.get(i).isStatic() && db.get(i).isStatic() && da.get(i).size() != db.get(i).size()) return false;
        }
        return true;
    }
}
