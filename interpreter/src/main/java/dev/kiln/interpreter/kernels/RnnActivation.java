package dev.kiln.interpreter.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/** The activation functions RNN, GRU and LSTM accept by name, with their alpha/beta parameters bound. */
final class RnnActivation {
    private RnnActivation() {}

    /**
     * Resolves {@code names} (case-insensitive), consuming {@code alphas} and {@code betas} in order by the
     * functions that take them; a function whose value is not supplied gets ONNX's default.
     */
    static List<DoubleUnaryOperator> resolve(List<String> names, float[] alphas, float[] betas) {
        List<DoubleUnaryOperator> out = new ArrayList<>();
        int ai = 0;
        int bi = 0;
        for (String name : names) {
            String n = name.toLowerCase(Locale.ROOT);
            boolean takesAlpha = switch (n) {
                case "affine", "leakyrelu", "thresholdedrelu", "scaledtanh", "hardsigmoid", "elu" -> true;
                default -> false;
            };
            boolean takesBeta = n.equals("affine") || n.equals("scaledtanh") || n.equals("hardsigmoid");
            Double alpha = takesAlpha && alphas != null && ai < alphas.length ? (double) alphas[ai++] : null;
            Double beta = takesBeta && betas != null && bi < betas.length ? (double) betas[bi++] : null;
            out.add(of(n, alpha, beta, name));
        }
        return out;
    }

    private static DoubleUnaryOperator of(String n, Double alpha, Double beta, String original) {
        double a;
        double b;
        switch (n) {
            case "relu": return x -> Math.max(x, 0);
            case "tanh": return Math::tanh;
            case "sigmoid": return RnnActivation::sigmoid;
            case "softsign": return x -> x / (1 + Math.abs(x));
            case "softplus": return x -> Math.log1p(Math.exp(x));
            case "affine":
                a = or(alpha, 1);
                b = or(beta, 0);
                return x -> a * x + b;
            case "leakyrelu":
                a = or(alpha, 0.01);
                return x -> x >= 0 ? x : a * x;
            case "thresholdedrelu":
                a = or(alpha, 1);
                return x -> x > a ? x : 0;
            case "scaledtanh":
                a = or(alpha, 1);
                b = or(beta, 1);
                return x -> a * Math.tanh(b * x);
            case "hardsigmoid":
                a = or(alpha, 0.2);
                b = or(beta, 0.5);
                return x -> Math.max(0, Math.min(1, a * x + b));
            case "elu":
                a = or(alpha, 1);
                return x -> x >= 0 ? x : a * (Math.exp(x) - 1);
            default: throw new IllegalArgumentException("unknown activation '" + original + "'");
        }
    }

    private static double or(Double v, double fallback) { return v == null ? fallback : v; }

    static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }
}
