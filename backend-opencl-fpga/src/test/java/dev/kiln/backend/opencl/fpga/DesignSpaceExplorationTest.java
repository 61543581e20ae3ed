package dev.kiln.backend.opencl.fpga;

import dev.kiln.backend.opencl.plan.ProgramPlan;
import dev.kiln.ir.Graph;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DesignSpaceExplorationTest {
    private static final Graph CONV = FpgaEstimator.typedForEstimate(
            SmallGraphs.conv("[1,16,16,16]", new long[] {16, 16, 3, 3}, "{pads = [1, 1, 1, 1]}"));

    @Test
    void chosenFactorsReachTheRenderedKernels() {
        Exploration x = DesignSpaceExploration.explore(CONV, FpgaParts.byId("arria10-gx1150"), Objective.THROUGHPUT);
        assertEquals(FpgaDesign.Architecture.DEDICATED, x.design().architecture());
        int lanes = x.estimate().layers().getFirst().lanes();
        assertEquals(16, lanes, "a small conv fully unrolls its 16 input channels: " + x.decision());
        String source = ProgramPlan.render(CONV, x.renderOptions()).source();
        assertTrue(source.contains("#pragma unroll " + lanes), source);
    }

    @Test
    void alexNetFitsEachPartAndBeatsOneLanePerLayer() {
        Graph alexNet = AlexNet.typed();
        assumeTrue(alexNet != null, "light_bvlc_alexnet.onnx not found above the working directory");
        for (FpgaPart part : FpgaParts.all()) {
            Exploration x = DesignSpaceExploration.explore(alexNet, part, Objective.THROUGHPUT);
            assertTrue(x.estimate().fits(DesignSpaceExploration.UTILISATION_CAP), part.id() + ": " + EstimateReport.text(x.estimate()));
            if (x.design().architecture() != FpgaDesign.Architecture.DEDICATED) continue;
            Map<String, Integer> ones = new HashMap<>();
            x.estimate().layers().forEach(l -> ones.put(l.node(), 1));
            FpgaDesign baseline = FpgaDesign.dedicated(FpgaDataType.FP32, part.kernelClockHz(), ones, x.design().localBytesPerLayer());
            FpgaEstimate slow = FpgaEstimator.estimate(alexNet, part, baseline);
            assertTrue(x.estimate().throughputPerSecond() >= slow.throughputPerSecond(), part.id());
            Exploration latency = DesignSpaceExploration.explore(alexNet, part, Objective.LATENCY);
            assertTrue(latency.estimate().latencySeconds() <= slow.latencySeconds(), part.id());
            for (LayerEstimate l : x.estimate().layers()) {
                assertEquals(l.lanes(), x.renderOptions().unroll(l.node(), Long.MAX_VALUE), l.node());
            }
        }
    }

    @Test
    void aModelTooBigForDedicatedHardwareTimeSharesAnEngine() {
        // Eight kernels of their own need 8 x 3,000 ALMs of overhead; one shared engine of five kernels needs 15,000.
        Graph eight = FpgaEstimator.typedForEstimate(SmallGraphs.convChain(8));
        FpgaPart small = new FpgaPart("tiny", FpgaPart.Vendor.INTEL, "a part too small for a kernel per layer", "none", 20,
                FpgaParts.byId("arria10-gx1150").dsp(), new FpgaPart.Logic(20_000, "ALM", 80_000),
                FpgaParts.byId("arria10-gx1150").memory(), 10e9, 200e6, FpgaParts.byId("arria10-gx1150").power(), "test");
        Exploration x = DesignSpaceExploration.explore(eight, small, Objective.LATENCY);
        assertEquals(FpgaDesign.Architecture.SHARED_ENGINE, x.design().architecture(), x.decision());
        assertTrue(x.decision().contains("does not fit"), x.decision());
    }

    @Test
    void nextFactorDividesTheLoop() {
        assertEquals(2, DesignSpaceExploration.nextFactor(12, 1));
        assertEquals(4, DesignSpaceExploration.nextFactor(12, 3));
        assertEquals(-1, DesignSpaceExploration.nextFactor(12, 12));
        assertEquals(7, DesignSpaceExploration.nextFactor(7, 1));
    }
}
