package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * Arithmetic with NumPy broadcasting: Add, Sub, Mul, Div, Pow, Mod, BitShift and the bitwise ops. Floats compute in
 * double and round once to the element type; integers compute in long and wrap to their width. Integer Div
 * truncates toward zero; Mod follows the divisor's sign unless {@code fmod=1}, which follows the dividend's.
 */
public final class ElementwiseBinaryKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        Map<String, Kernel> k = new HashMap<>();
        k.put("Add", arithmetic(Double::sum, Long::sum, Long::sum));
        k.put("Sub", arithmetic((a, b) -> a - b, (a, b) -> a - b, (a, b) -> a - b));
        k.put("Mul", arithmetic((a, b) -> a * b, (a, b) -> a * b, (a, b) -> a * b));
        k.put("Div", arithmetic((a, b) -> a / b, (a, b) -> a / nonZero(b), (a, b) -> Long.divideUnsigned(a, nonZero(b))));
        k.put("Mod", ctx -> {
            boolean fmod = ctx.intAttr("fmod", 0) != 0;
            Kernel mod = fmod
                    ? arithmetic((a, b) -> a % b, (a, b) -> a % nonZero(b), (a, b) -> Long.remainderUnsigned(a, nonZero(b)))
                    : arithmetic(ElementwiseBinaryKernels::floorMod, (a, b) -> Math.floorMod(a, nonZero(b)),
                            (a, b) -> Long.remainderUnsigned(a, nonZero(b)));
            return mod.run(ctx);
        });
        k.put("Pow", ElementwiseBinaryKernels::pow);
        k.put("BitShift", ctx -> {
            String direction = ctx.stringAttr("direction", "");
            LongBinaryOperator shift = switch (direction) {
                case "LEFT" -> (a, s) -> Long.compareUnsigned(s, 64) >= 0 ? 0 : a << s;
                case "RIGHT" -> (a, s) -> Long.compareUnsigned(s, 64) >= 0 ? 0 : a >>> s;
                default -> throw ctx.fail("direction must be LEFT or RIGHT, got '" + direction + "'");
            };
            return List.of(ElementwiseLoops.zipLongs(ctx, ctx.input(0), ctx.input(1), ctx.input(0).dtype(), shift));
        });
        k.put("BitwiseAnd", integers((a, b) -> a & b));
        k.put("BitwiseOr", integers((a, b) -> a | b));
        k.put("BitwiseXor", integers((a, b) -> a ^ b));
        return k;
    }

    /** An op with a float form, a signed-integer form and an unsigned-integer form (unsigned 64-bit values arrive as raw bits). */
    private static Kernel arithmetic(DoubleBinaryOperator onFloat, LongBinaryOperator onSigned, LongBinaryOperator onUnsigned) {
        return ctx -> {
            Tensor a = ctx.input(0);
            Tensor b = ElementwiseLoops.legacyAlign(ctx, a, ctx.input(1));
            DType t = a.dtype();
            if (b.dtype() != t) throw ctx.fail("inputs must have one element type, got " + t + " and " + b.dtype());
            if (t.isFloat()) return List.of(ElementwiseLoops.zipDoubles(ctx, a, b, t, onFloat));
            LongBinaryOperator f = t == DType.U64 ? onUnsigned : onSigned;
            try {
                return List.of(ElementwiseLoops.zipLongs(ctx, a, b, t, f));
            } catch (ArithmeticException e) {
                throw ctx.fail("integer " + e.getMessage());
            }
        };
    }

    private static Kernel integers(LongBinaryOperator f) {
        Kernel k = arithmetic((a, b) -> a, f, f);
        return ctx -> {
            if (!ctx.input(0).dtype().isInteger()) throw ctx.fail("bitwise ops take integers, got " + ctx.input(0).dtype());
            return k.run(ctx);
        };
    }

    private static long nonZero(long divisor) {
        if (divisor == 0) throw new ArithmeticException("division by zero");
        return divisor;
    }

    /** The remainder with the divisor's sign, as NumPy's mod and Python's % give it. */
    private static double floorMod(double a, double b) {
        double r = a % b;
        return r != 0 && (r < 0) != (b < 0) ? r + b : r;
    }

    /**
     * The exponent may have another type than the base; the result has the base's type. Integer powers with a
     * non-negative integer exponent are exact (wrapping); otherwise the power is taken in double and, for an integer
     * base, truncated toward zero.
     */
    private static List<RuntimeValue> pow(KernelContext ctx) {
        Tensor base = ctx.input(0);
        Tensor exponent = ElementwiseLoops.legacyAlign(ctx, base, ctx.input(1));
        DType t = base.dtype();
        if (!t.isFloat() && !exponent.dtype().isFloat()) {
            boolean unsignedExponent = exponent.dtype() == DType.U64;
            return List.of(ElementwiseLoops.zipLongs(ctx, base, exponent, t, (a, e) -> integerPow(a, e, unsignedExponent)));
        }
        return List.of(ElementwiseLoops.zipDoubles(ctx, base, exponent, t, Math::pow));
    }

    private static long integerPow(long base, long exponent, boolean unsignedExponent) {
        if (exponent < 0 && !unsignedExponent) return (long) Math.pow(base, exponent);
        long result = 1;
        long square = base;
        for (long e = exponent; e != 0; e >>>= 1) {
            if ((e & 1) != 0) result *= square;
            square *= square;
        }
        return result;
    }
}
