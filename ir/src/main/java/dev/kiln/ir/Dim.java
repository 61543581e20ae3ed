package dev.kiln.ir;

/**
 * One dimension of a shape: a static size, a named symbolic size (such as {@code batch}), or unknown.
 * Unknown dims print as {@code ?}; they arise where a size depends on data (NonZero, Loop outputs). A symbolic
 * dim may be a product of symbols and a coefficient ({@code 4*batch}, see {@link DimProduct}).
 */
public record Dim(long size, String symbol) {
    public static final Dim UNKNOWN = new Dim(-1, null);

    public Dim {
        if (symbol == null && size < -1) throw new IllegalArgumentException("negative dim " + size);
        if (symbol != null && (symbol.isEmpty() || size != -1)) throw new IllegalArgumentException("bad symbolic dim");
    }

    public static Dim of(long size) {
        if (size < 0) throw new IllegalArgumentException("negative dim " + size);
        return new Dim(size, null);
    }

    /** A named dim; a name that spells a product ({@code batch*4}) is written canonically (see {@link DimProduct}). */
    public static Dim symbolic(String name) {
        DimProduct product = name == null ? null : DimProduct.parse(name);
        return product == null ? new Dim(-1, name) : product.toDim();
    }

    public boolean isStatic() { return symbol == null && size >= 0; }

    public boolean isSymbolic() { return symbol != null; }

    public boolean isUnknown() { return symbol == null && size < 0; }

    @Override
    public String toString() {
        if (isStatic()) return Long.toString(size);
        return isSymbolic() ? symbol : "?";
    }
}
