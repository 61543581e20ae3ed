package dev.kiln.bench.energy;

import java.util.Map;

/**
 * How dynamic energy per operation scales with the CMOS process node, relative to the 45 nm, 0.9 V figures of
 * Horowitz ("Computing's energy problem (and what we can do about it)", ISSCC 2014).
 * <p>
 * Stillmaker and Baas ("Scaling equations for the accurate prediction of CMOS device performance from 180 nm to
 * 7 nm", Integration, the VLSI Journal 58, 2017) fit energy per operation at node n as a quadratic in the supply
 * voltage, E_n(V) = a·V² + b·V + c, with per-node coefficients (their energy table). The factor for node n is
 * E_n(V_n) / E_45(0.9 V). The nominal supply V_n of each node is our judgement (typical core voltages). Nodes past
 * the paper's 7 nm are extrapolated from TSMC's stated N5-versus-N7 figure (about 30% less power at the same speed),
 * also a judgement; 4 nm (TSMC N4/4N, derivatives of N5) is taken as 5 nm, and 28 nm (not in the paper's table;
 * Stratix V) as 32 nm (judgement: the nearer tabulated node, so it errs high).
 */
final class ProcessScaling {
    /** Stillmaker and Baas 2017, energy polynomial {a, b, c} per node (nm). */
    private static final Map<Integer, double[]> ENERGY_POLYNOMIAL = Map.of(
            45, new double[] {1.103, -0.362, 0.2767},
            32, new double[] {0.9559, -0.7823, 0.471},
            20, new double[] {0.373, -0.1582, 0.04104},
            16, new double[] {0.2958, -0.1241, 0.03024},
            14, new double[] {0.2363, -0.09675, 0.02239},
            10, new double[] {0.2068, -0.09311, 0.02375},
            7, new double[] {0.1776, -0.09097, 0.02447});
    /** Nominal core supply (V) per node: our judgement. */
    private static final Map<Integer, Double> NOMINAL_VDD = Map.of(
            45, 0.9, 32, 0.9, 20, 0.9, 16, 0.85, 14, 0.8, 10, 0.75, 7, 0.7);
    /** TSMC N5 versus N7: about 30% less power at iso-speed (TSMC's announcement of N5); a judgement to apply it here. */
    private static final double N5_OVER_N7 = 0.7;

    private ProcessScaling() {}

    /** The processes the table covers, nm. */
    static boolean covers(int nm) { return ENERGY_POLYNOMIAL.containsKey(nm) || nm == 5 || nm == 4 || nm == 28; }

    /** Energy per operation at {@code nm} over that at 45 nm / 0.9 V. */
    static double energyFactor(int nm) {
        if (nm == 5 || nm == 4) return N5_OVER_N7 * energyFactor(7);
        if (nm == 28) return energyFactor(32);
        double[] p = ENERGY_POLYNOMIAL.get(nm);
        if (p == null) throw new IllegalArgumentException("no energy scaling for a " + nm + " nm process (known: 45, 32, 28, 20, 16, 14, 10, 7, 5, 4)");
        return energy(p, NOMINAL_VDD.get(nm)) / energy(ENERGY_POLYNOMIAL.get(45), 0.9);
    }

    private static double energy(double[] p, double vdd) { return p[0] * vdd * vdd + p[1] * vdd + p[2]; }
}
