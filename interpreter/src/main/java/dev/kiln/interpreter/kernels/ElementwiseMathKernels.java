package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongUnaryOperator;

/** Unary math: rounding, powers and logs, trigonometry, sign functions, NaN/Inf tests, logical and bitwise not. */
public final class ElementwiseMathKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        Map<String, Kernel> k = new HashMap<>();
        k.put("Ceil", floats(Math::ceil));
        k.put("Floor", floats(Math::floor));
        k.put("Round", floats(Math::rint)); // halves to even, as ONNX specifies
        k.put("Reciprocal", floats(x -> 1 / x));
        k.put("Sqrt", floats(Math::sqrt));
        k.put("Exp", floats(Math::exp));
        k.put("Log", floats(Math::log));
        k.put("Tanh", floats(Math::tanh));
        k.put("Sigmoid", floats(ElementwiseMath::sigmoid));
        k.put("Softsign", floats(x -> x / (1 + Math.abs(x))));
        k.put("Cos", floats(Math::cos));
        k.put("Sin", floats(Math::sin));
        k.put("Tan", floats(Math::tan));
        k.put("Acos", floats(Math::acos));
        k.put("Asin", floats(Math::asin));
        k.put("Atan", floats(Math::atan));
        k.put("Cosh", floats(Math::cosh));
        k.put("Sinh", floats(Math::sinh));
        k.put("Acosh", floats(x -> Math.log(x + Math.sqrt(x * x - 1))));
        k.put("Asinh", floats(ElementwiseMathKernels::asinh));
        k.put("Atanh", floats(x -> 0.5 * Math.log1p(2 * x / (1 - x))));
        k.put("Erf", ctx -> List.of(ElementwiseLoops.mapDoubles(ctx.input(0), ElementwiseMath::erf)));
        k.put("Abs", numeric(Math::abs, Math::abs, x -> x));
        k.put("Neg", numeric(x -> -x, x -> -x, x -> -x));
        k.put("Sign", numeric(Math::signum, Long::signum, x -> x == 0 ? 0 : 1));
        k.put("Relu", numeric(x -> x < 0 ? 0 : x, x -> Math.max(x, 0), x -> x));
        k.put("Not", ctx -> List.of(ElementwiseLoops.mapLongs(ctx.input(0), x -> x == 0 ? 1 : 0)));
        k.put("BitwiseNot", ctx -> List.of(ElementwiseLoops.mapLongs(ctx.input(0), x -> ~x)));
        k.put("IsNaN", test(Double::isNaN));
        k.put("IsInf", ctx -> {
            boolean negative = ctx.intAttr("detect_negative", 1) != 0;
            boolean positive = ctx.intAttr("detect_positive", 1) != 0;
            return test(x -> (positive && x == Double.POSITIVE_INFINITY) || (negative && x == Double.NEGATIVE_INFINITY)).run(ctx);
        });
        return k;
    }

    /** asinh(x) = sign(x) log(|x| + sqrt(x^2 + 1)), written on |x| so negative inputs do not cancel. */
    private static double asinh(double x) {
        double a = Math.abs(x);
        double r = a > 1e150 ? Math.log(a) + Math.log(2) : Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
        return Math.copySign(r, x);
    }

    private static Kernel floats(DoubleUnaryOperator f) {
        return ctx -> List.of(ElementwiseLoops.mapDoubles(ctx.input(0), f));
    }

    /** A function of float, signed-integer or unsigned-integer elements, each computed in its own arithmetic. */
    private static Kernel numeric(DoubleUnaryOperator onFloat, LongUnaryOperator onSigned, LongUnaryOperator onUnsigned) {
        return ctx -> {
            Tensor x = ctx.input(0);
            DType t = x.dtype();
            if (t.isFloat()) return List.of(ElementwiseLoops.mapDoubles(x, onFloat));
            return List.of(ElementwiseLoops.mapLongs(x, t.kind() == DType.Kind.UNSIGNED ? onUnsigned : onSigned));
        };
    }

    private static Kernel test(DoublePredicate p) {
        return ctx -> {
            Tensor x = ctx.input(0);
            double[] v = x.toDoubles();
            boolean[] r = new boolean[v.length];
            for (int i = 0; i < v.length; i++) r[i] = p.test(v[i]);
            return List.of(ElementwiseLoops.bools(x.shape(), r));
        };
    }
}
