package dev.kiln.backend.opencl.fpga;

import dev.kiln.ir.Graph;
import dev.kiln.ir.json.JsonParser;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FpgaEstimatorTest {
    private static final Graph CONV = FpgaEstimator.typedForEstimate(
            SmallGraphs.conv("[1,4,8,8]", new long[] {8, 4, 3, 3}, "{pads = [1, 1, 1, 1]}"));

    private static LayerEstimate conv(String part, FpgaDataType dtype, int lanes) {
        FpgaDesign design = FpgaDesign.dedicated(dtype, 200e6, Map.of("conv", lanes), 32 * 1024);
        return FpgaEstimator.estimate(CONV, FpgaParts.byId(part), design).layers().getFirst();
    }

    @Test
    void convCyclesFollowTheLoopNest() {
        LayerEstimate l = conv("arria10-gx1150", FpgaDataType.FP32, 4);
        // 8 x 8 x 8 outputs x 9 taps, the 4 input channels in one trip of 4 lanes, II 1 (hardened fp32 accumulation),
        // plus the pipeline fill and the copy of 288 weights on chip 8 at a time.
        assertEquals(512 * 9 + ResourceModel.PIPELINE_FILL_CYCLES + 288 / 8, l.computeCycles(), 1e-9);
        assertEquals(1, l.ii());
        assertEquals(4, l.dsps());
        assertTrue(l.weightsOnChip());
        assertFalse(l.memoryBound());
    }

    @Test
    void softFloatAccumulationWaitsOnTheAdder() {
        LayerEstimate l = conv("stratixv-gxa7", FpgaDataType.FP32, 4);
        assertEquals(FpgaParts.SOFT_FP32_ADD_CYCLES, l.ii());
        assertTrue(l.logicCells() >= 4 * FpgaParts.SOFT_FP32_ADD_ALMS, "soft adders are logic: " + l.logicCells());
    }

    @Test
    void eightBitLanesShareDspBlocks() {
        assertEquals(2, conv("arria10-gx1150", FpgaDataType.INT8, 4).dsps());
        assertEquals(4, conv("zu9eg", FpgaDataType.INT8, 4).dsps());
        assertEquals(20, conv("zu9eg", FpgaDataType.FP32, 4).dsps());
    }

    @Test
    void moreLanesAreFasterAndCostMore() {
        FpgaPart part = FpgaParts.byId("alveo-u250");
        FpgaEstimate one = FpgaEstimator.estimate(CONV, part, FpgaDesign.dedicated(FpgaDataType.FP32, 300e6, Map.of("conv", 1), 0));
        FpgaEstimate four = FpgaEstimator.estimate(CONV, part, FpgaDesign.dedicated(FpgaDataType.FP32, 300e6, Map.of("conv", 4), 0));
        assertTrue(four.latencySeconds() < one.latencySeconds());
        assertTrue(four.dsps() > one.dsps() && four.logicCells() > one.logicCells());
        assertTrue(four.powerWatts() > part.power().boardIdleWatts());
        // Weights left off chip are read again at every output position.
        assertEquals(64 * 288 * 4, one.layers().getFirst().externalBytes() - (256 + 512) * 4, 1e-9);
    }

    @Test
    void symbolicShapesAreRefusedNamingTheNode() {
        Graph g = IrParser.parse("graph @g(%x: f32[N,4]) -> (%y: f32[N,4]) {\n  opsets {\"\": 17}\n  %y: f32[N,4] = Relu(%x) name \"r\"\n}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FpgaEstimator.estimate(g, FpgaParts.byId("zu9eg"), FpgaDesign.dedicated(FpgaDataType.FP32, 2e8, Map.of(), 0)));
        assertTrue(e.getMessage().contains("node 'r'") && e.getMessage().contains("static shape"), e.getMessage());
    }

    @Test
    void reportMarksEveryFigureAsAnEstimate() {
        FpgaEstimate e = FpgaEstimator.estimate(CONV, FpgaParts.byId("zu9eg"), FpgaDesign.dedicated(FpgaDataType.FP32, 2e8, Map.of(), 1024));
        String text = EstimateReport.text(e);
        assertTrue(text.contains("estimates, not measurements") && text.contains("conv") && text.contains("DSP~"), text);
        Map<?, ?> json = (Map<?, ?>) JsonParser.parse(EstimateReport.json(e));
        assertEquals("estimate", json.get("kind"));
        Map<?, ?> total = (Map<?, ?>) json.get("totalEstimate");
        assertEquals(e.dsps(), ((Number) total.get("dsps")).longValue());
        assertEquals(1, ((java.util.List<?>) json.get("layers")).size());
    }
}
