package dev.kiln.interpreter.kernels;

import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * One direction of an RNN, GRU or LSTM layer: advances the hidden state (and LSTM's cell state) of one batch row
 * by one time step, with ONNX's gate orders (GRU z, r, h; LSTM i, o, f, c) and bias layout (W biases, then R biases).
 */
final class RecurrentCell {
    enum Type {
        RNN(1, List.of("Tanh")),
        GRU(3, List.of("Sigmoid", "Tanh")),
        LSTM(4, List.of("Sigmoid", "Tanh", "Tanh"));

        final int gates;
        final int activations;
        final List<String> defaults;

        Type(int gates, List<String> defaults) {
            this.gates = gates;
            this.activations = defaults.size();
            this.defaults = defaults;
        }
    }

    private final Type type;
    private final int input;
    private final int hidden;
    private final double[] w;
    private final int wOff;
    private final double[] r;
    private final int rOff;
    private final double[] bias;
    private final int bOff;
    private final double[] peep;
    private final int pOff;
    private final DoubleUnaryOperator f;
    private final DoubleUnaryOperator g;
    private final DoubleUnaryOperator h;
    private final double clip;
    private final boolean linearBeforeReset;
    private final boolean inputForget;
    private final double[] fromInput;
    private final double[] fromState;

    RecurrentCell(Type type, int input, int hidden, double[] w, int wOff, double[] r, int rOff, double[] bias, int bOff,
                  double[] peep, int pOff, List<DoubleUnaryOperator> activations, double clip,
                  boolean linearBeforeReset, boolean inputForget) {
        this.type = type;
        this.input = input;
        this.hidden = hidden;
        this.w = w;
        this.wOff = wOff;
        this.r = r;
        this.rOff = rOff;
        this.bias = bias;
        this.bOff = bOff;
        this.peep = peep;
        this.pOff = pOff;
        this.f = activations.get(0);
        this.g = activations.size() > 1 ? activations.get(1) : null;
        this.h = activations.size() > 2 ? activations.get(2) : null;
        this.clip = clip;
        this.linearBeforeReset = linearBeforeReset;
        this.inputForget = inputForget;
        this.fromInput = new double[type.gates * hidden];
        this.fromState = new double[type.gates * hidden];
    }

    /** Updates {@code state} (and {@code cell} for LSTM) in place from input row {@code x[xOff..]}. */
    void step(double[] x, int xOff, double[] state, double[] cell) {
        int rows = type.gates * hidden;
        for (int j = 0; j < rows; j++) {
            double a = bias[bOff + j];
            int wRow = wOff + j * input;
            for (int k = 0; k < input; k++) a += w[wRow + k] * x[xOff + k];
            fromInput[j] = a;
            double s = bias[bOff + rows + j];
            int rRow = rOff + j * hidden;
            for (int k = 0; k < hidden; k++) s += r[rRow + k] * state[k];
            fromState[j] = s;
        }
        apply(fromInput, fromState, state, cell, null);
    }

    /**
     * The gate math of one step from its pre-activations {@code in = W·x + Wb} and {@code st = R·h + Rb} (all gates;
     * products computed elsewhere, e.g. in integers). For a GRU without linear_before_reset, {@code resetState} is
     * {@code R_h·(r ⊙ h) + Rb_h} when the caller computed it, or null to compute it here from the float R.
     */
    void apply(double[] in, double[] st, double[] state, double[] cell, double[] resetState) {
        switch (type) {
            case RNN -> {
                for (int j = 0; j < hidden; j++) state[j] = f.applyAsDouble(clip(in[j] + st[j]));
            }
            case GRU -> gru(in, st, state, resetState);
            case LSTM -> lstm(in, st, state, cell);
        }
    }

    /**
     * What R_h multiplies in a GRU without linear_before_reset, {@code r ⊙ h} with {@code r = f(in_r + st_r)}; null
     * for any other cell, whose products all take the state itself.
     */
    double[] resetInputs(double[] in, double[] st, double[] state) {
        if (type != Type.GRU || linearBeforeReset) return null;
        double[] reset = resetGate(in, st);
        for (int j = 0; j < hidden; j++) reset[j] *= state[j];
        return reset;
    }

    private double[] resetGate(double[] in, double[] st) {
        double[] reset = new double[hidden];
        for (int j = 0; j < hidden; j++) reset[j] = f.applyAsDouble(clip(in[hidden + j] + st[hidden + j]));
        return reset;
    }

    private void gru(double[] in, double[] st, double[] state, double[] resetState) {
        double[] z = new double[hidden];
        double[] reset = resetGate(in, st);
        for (int j = 0; j < hidden; j++) z[j] = f.applyAsDouble(clip(in[j] + st[j]));
        double[] next = new double[hidden];
        for (int j = 0; j < hidden; j++) {
            double candidate;
            if (linearBeforeReset) {
                candidate = in[2 * hidden + j] + reset[j] * st[2 * hidden + j];
            } else if (resetState != null) {
                candidate = in[2 * hidden + j] + resetState[j];
            } else {
                // Rh multiplies (reset * state) here, not the state itself
                double s = bias[bOff + 5 * hidden + j];
                int rRow = rOff + (2 * hidden + j) * hidden;
                for (int k = 0; k < hidden; k++) s += r[rRow + k] * reset[k] * state[k];
                candidate = in[2 * hidden + j] + s;
            }
            next[j] = (1 - z[j]) * g.applyAsDouble(clip(candidate)) + z[j] * state[j];
        }
        System.arraycopy(next, 0, state, 0, hidden);
    }

    private void lstm(double[] fromInput, double[] fromState, double[] state, double[] cell) {
        for (int j = 0; j < hidden; j++) {
            double c = cell[j];
            double pi = peep == null ? 0 : peep[pOff + j];
            double po = peep == null ? 0 : peep[pOff + hidden + j];
            double pf = peep == null ? 0 : peep[pOff + 2 * hidden + j];
            double i = f.applyAsDouble(clip(fromInput[j] + fromState[j] + pi * c));
            double forget = inputForget ? 1 - i
                    : f.applyAsDouble(clip(fromInput[2 * hidden + j] + fromState[2 * hidden + j] + pf * c));
            double candidate = g.applyAsDouble(clip(fromInput[3 * hidden + j] + fromState[3 * hidden + j]));
            double newCell = forget * c + i * candidate;
            double o = f.applyAsDouble(clip(fromInput[hidden + j] + fromState[hidden + j] + po * newCell));
            cell[j] = newCell;
            state[j] = o * h.applyAsDouble(newCell);
        }
    }

    private double clip(double v) { return Math.max(-clip, Math.min(clip, v)); }
}
