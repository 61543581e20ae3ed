package dev.kiln.backend.opencl.fpga;

import dev.kiln.ir.Graph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Validates the estimator against a published OpenCL FPGA design: PipeCNN (D. Wang, K. Xu, D. Jiang, "PipeCNN: An
 * OpenCL-Based Open-Source FPGA Accelerator for Convolution Neural Networks", FPT 2017, Table I), 8-bit AlexNet
 * on a time-shared engine of VEC_SIZE x CU_NUM multiply-adds, fully connected layers batched by 16 (the batch of
 * the repository's AlexNet configuration, project/host/layer_config.h). Published: Stratix V GXA7 (DE5-Net),
 * VEC_SIZE 16, CU_NUM 28: 247 DSPs at 198 MHz, 15 ms per image, 27 W; Arria 10 GX1150 (DE5a-Net): 683 DSPs at
 * 218 MHz, 5 ms per image, 26 W. The estimate must land within 15% on DSPs, 25% on latency, 30% on power.
 */
class PipeCnnValidationTest {
    private static final int BATCH = 16;
    private static final int VEC_SIZE = 16;
    private static Graph alexNet;

    @BeforeAll
    static void load() { alexNet = AlexNet.typed(); }

    @Test
    void stratixVDe5Net() {
        FpgaEstimate e = estimate("stratixv-gxa7", 198e6, 28);
        check("Stratix V GXA7 (DE5-Net), VEC_SIZE 16, CU_NUM 28", e, 247, 15e-3, 27);
    }

    /**
     * The paper gives the Arria 10 design's DSPs but not its CU_NUM, and neither does the repository (its issue #66
     * asks for it unanswered). We infer CU_NUM from the published DSP count with the DSP model the Stratix V case
     * validates: (683 - the engine's address multipliers) / (VEC_SIZE x DSPs per 8-bit lane). The DSP check is
     * therefore not independent on this board; latency and power are.
     */
    @Test
    void arria10De5aNet() {
        FpgaPart part = FpgaParts.byId("arria10-gx1150");
        double fixed = ResourceModel.ENGINE_RUNTIME_MULTIPLIES * part.dsp().blocksPer32BitMultiply();
        int cuNum = (int) Math.round((683 - fixed) / (VEC_SIZE * part.dspPerLane(FpgaDataType.INT8)));
        FpgaEstimate e = estimate("arria10-gx1150", 218e6, cuNum);
        check("Arria 10 GX1150 (DE5a-Net), VEC_SIZE 16, CU_NUM " + cuNum + " (inferred)", e, 683, 5e-3, 26);
    }

    private static FpgaEstimate estimate(String part, double clockHz, int cuNum) {
        assumeTrue(alexNet != null, "light_bvlc_alexnet.onnx not found above the working directory");
        FpgaDesign design = FpgaDesign.sharedEngine(FpgaDataType.INT8, clockHz, VEC_SIZE, cuNum, BATCH);
        return FpgaEstimator.estimate(alexNet, FpgaParts.byId(part), design);
    }

    private static void check(String what, FpgaEstimate e, long dsps, double seconds, double watts) {
        System.out.println(EstimateReport.text(e));
        System.out.printf(Locale.ROOT, "PipeCNN %s: DSPs estimate %d vs published %d (%+.1f%%), latency estimate %.2f ms vs %.2f ms "
                        + "(%+.1f%%), board power estimate %.1f W vs %.1f W (%+.1f%%)%n", what, e.dsps(), dsps, off(e.dsps(), dsps),
                e.latencySeconds() * 1e3, seconds * 1e3, off(e.latencySeconds(), seconds), e.powerWatts(), watts, off(e.powerWatts(), watts));
        assertTrue(Math.abs(off(e.dsps(), dsps)) <= 15, what + ": DSPs " + e.dsps() + " vs " + dsps);
        assertTrue(Math.abs(off(e.latencySeconds(), seconds)) <= 25, what + ": latency " + e.latencySeconds() + " s vs " + seconds);
        assertTrue(Math.abs(off(e.powerWatts(), watts)) <= 30, what + ": power " + e.powerWatts() + " W vs " + watts);
    }

    private static double off(double estimate, double published) { return 100 * (estimate - published) / published; }
}
