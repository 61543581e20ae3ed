package dev.kiln.ir;

/** A tensor's element type and shape; prints as {@code f32[1,3,224,224]}. */
public record TensorType(DType dtype, Shape shape) implements ValueType {
    public TensorType {
        java.util.Objects.requireNonNull(dtype, "dtype");
        java.util.Objects.requireNonNull(shape, "shape");
    }

    public static TensorType of(DType dtype, long... sizes) { return new TensorType(dtype, Shape.of(sizes)); }

    @Override
    public String toString() { return dtype.shortName() + shape; }
}
