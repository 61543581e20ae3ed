package dev.kiln.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * A dim as a product: a whole coefficient times zero or more named symbols, such as {@code 4*batch} (the
 * attention heads of a batch folded into one axis) or {@code batch*seq}. A symbolic {@link Dim} whose name is such
 * a product is written canonically (coefficient first, then the names sorted), so two equal products are equal
 * dims. This is the arithmetic shape inference needs to follow exported shape computations (Shape → Gather → Mul
 * → Concat → Reshape) without losing a dim: products and exact quotients; a sum of symbols is not representable.
 */
public record DimProduct(long coefficient, List<String> names) {
    /** A negative coefficient is allowed without names: a shape computation's -1 is such a constant. */
    public DimProduct {
        names = names.stream().sorted().toList();
        if (coefficient < 0 && !names.isEmpty()) throw new IllegalArgumentException("negative coefficient " + coefficient + " of " + names);
    }

    /** A whole number, as a product without names. */
    public static DimProduct constant(long value) { return new DimProduct(value, List.of()); }

    public boolean isConstant() { return names.isEmpty(); }

    /** The product a dim stands for, or null when the dim is unknown. */
    public static DimProduct of(Dim d) {
        if (d.isStatic()) return new DimProduct(d.size(), List.of());
        if (!d.isSymbolic()) return null;
        DimProduct parsed = parse(d.symbol());
        return parsed != null ? parsed : new DimProduct(1, List.of(d.symbol()));
    }

    /**
     * The product a name spells ({@code 4*batch}, {@code batch*seq}), or null when it is a plain name: one without
     * '*', or with an empty factor.
     */
    static DimProduct parse(String name) {
        if (name.indexOf('*') < 0) return null;
        long coefficient = 1;
        List<String> names = new ArrayList<>();
        for (String factor : name.split("\\*", -1)) {
            if (factor.isEmpty()) return null;
            if (factor.chars().allMatch(Character::isDigit)) {
                try {
                    coefficient = Math.multiplyExact(coefficient, Long.parseLong(factor));
                } catch (ArithmeticException | NumberFormatException e) {
                    return null;
                }
            } else {
                names.add(factor);
            }
        }
        return names.isEmpty() ? null : new DimProduct(coefficient, names);
    }

    /** The dim: static when no names are left or the coefficient is 0, else symbolic in canonical form; not for negatives. */
    public Dim toDim() {
        if (names.isEmpty() || coefficient == 0) return Dim.of(coefficient);
        if (coefficient == 1 && names.size() == 1) return new Dim(-1, names.getFirst());
        StringBuilder b = new StringBuilder();
        if (coefficient != 1) b.append(coefficient);
        for (String n : names) {
            if (!b.isEmpty()) b.append('*');
            b.append(n);
        }
        return new Dim(-1, b.toString());
    }

    /** The product, or null when a negative constant would multiply names. */
    public DimProduct times(DimProduct other) {
        long c = Math.multiplyExact(coefficient, other.coefficient);
        if (c < 0 && (!names.isEmpty() || !other.names.isEmpty())) return null;
        List<String> all = new ArrayList<>(names);
        all.addAll(other.names);
        return new DimProduct(c, all);
    }

    /** This over {@code divisor} when the quotient is exact for every size of the symbols, else null. */
    public DimProduct dividedBy(DimProduct divisor) {
        if (divisor.coefficient <= 0 || coefficient < 0 || coefficient % divisor.coefficient != 0) return null;
        List<String> left = new ArrayList<>(names);
        for (String n : divisor.names) if (!left.remove(n)) return null;
        return new DimProduct(coefficient / divisor.coefficient, left);
    }

    /** The size for the given sizes of the symbols. */
    public long evaluate(ToLongFunction<String> sizeOf) {
        long size = coefficient;
        for (String n : names) size = Math.multiplyExact(size, sizeOf.applyAsLong(n));
        return size;
    }

    /** {@code d} with its symbols replaced by their sizes when {@code sizes} has every one of them, else {@code d}. */
    public static Dim bind(Dim d, Map<String, Long> sizes) {
        if (!d.isSymbolic()) return d;
        DimProduct p = of(d);
        return sizes.keySet().containsAll(p.names) ? Dim.of(p.evaluate(sizes::get)) : d;
    }

    /** {@code a * b}; unknown when either is. */
    public static Dim multiply(Dim a, Dim b) {
        DimProduct x = of(a);
        DimProduct y = of(b);
        DimProduct p = x == null || y == null ? null : x.times(y);
        return p == null ? Dim.UNKNOWN : p.toDim();
    }

    /** {@code a / b} when exact for every size of the symbols; unknown otherwise. */
    public static Dim divideExactly(Dim a, Dim b) {
        DimProduct x = of(a);
        DimProduct y = of(b);
        DimProduct q = x == null || y == null ? null : x.dividedBy(y);
        return q == null ? Dim.UNKNOWN : q.toDim();
    }
}
