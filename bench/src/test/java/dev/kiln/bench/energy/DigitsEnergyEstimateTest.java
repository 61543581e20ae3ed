package dev.kiln.bench.energy;

import dev.kiln.ir.Graph;
import dev.kiln.passes.OptLevel;
import dev.kiln.passes.PassContext;
import dev.kiln.passes.PassManager;
import dev.kiln.passes.PassOptions;
import dev.kiln.passes.TargetPreferences;
import dev.kiln.runtime.Kiln;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The repository's example model, optimized at -O2 as the CLI does, counted and estimated at batch 1. */
class DigitsEnergyEstimateTest {
    private static final Path MODEL = Path.of("..", "examples", "digits", "digits_cnn.onnx");

    private static Graph optimizedDigits() {
        Graph imported = Kiln.load(MODEL).graph();
        PassManager manager = PassManager.forLevel(OptLevel.O2, PassOptions.none(), new PrintWriter(new StringWriter()));
        return manager.run(imported, new PassContext(OptLevel.O2, Map.of(), TargetPreferences.reference())).graph();
    }

    @Test
    void countsMatchTheArchitecture() {
        GraphCost cost = GraphCost.of(optimizedDigits(), Map.of("image", new long[] {1, 1, 8, 8}));
        // conv1 (1→16, 3×3, 8×8) + bias + Relu: 2·1024·9 + 1024 + 1024 = 20480
        // conv2 (16→32, 3×3, 8×8) + bias + Relu: 2·2048·144 + 2048 + 2048 = 593920
        // MaxPool 2×2 → 32·4·4: 512·4 = 2048
        // Gemm 512→32 + bias + Relu: 2·32·512 + 32 + 32 = 32832; Gemm 32→10 + bias: 2·10·32 + 10 = 650
        assertEquals(20480 + 593920 + 2048 + 32832 + 650, cost.flops(), () -> cost.nodes().toString());
        assertEquals(0, cost.int8Ops());
        // Weights: conv1 16·1·3·3 + 16, conv2 32·16·3·3 + 32, fc1 32·512 + 32, fc2 10·32 + 10 floats.
        assertEquals(4L * (144 + 16 + 4608 + 32 + 16384 + 32 + 320 + 10), cost.weightBytes());
    }

    @Test
    void estimateAtOneMillisecondOnEveryProfile() {
        GraphCost cost = GraphCost.of(optimizedDigits(), Map.of("image", new long[] {1, 1, 8, 8}));
        StringBuilder report = new StringBuilder("digits_cnn -O2 batch 1: " + cost.flops() + " FLOPs, " + cost.bytesRead()
                + " B read, " + cost.bytesWritten() + " B written, " + cost.weightBytes() + " B weights, footprint "
                + cost.footprintBytes() + " B\n");
        for (DeviceEnergyProfile p : new DeviceEnergyProfile[] {DeviceEnergyProfiles.hostCpu(), DeviceEnergyProfiles.h100(), DeviceEnergyProfiles.fpga()}) {
            EnergyBreakdown b = EnergyEstimator.breakdown(cost, p, 1e-3);
            EnergyFigure f = EnergyEstimator.estimate(cost, p, 1e-3);
            assertEquals(b.totalJ(), f.joulesPerInference(), 1e-15);
            assertTrue(b.dynamicJ() > 0 && b.dynamicJ() < b.staticJ(), p.name() + ": a 0.65 MFLOP model is static-power bound at 1 ms");
            report.append(String.format("%s: %.4g J/inference (dynamic %.4g J: arithmetic %.3g, overhead %.3g, cache %.3g, dram %.3g; static %.4g J), %.4g W, EDP %.4g J·s%n",
                    p.name(), f.joulesPerInference(), b.dynamicJ(), b.arithmeticJ(), b.overheadJ(), b.cacheJ(), b.dramJ(), b.staticJ(),
                    f.averageWatts(), f.energyDelayProduct()));
        }
        System.out.print(report);
    }
}
