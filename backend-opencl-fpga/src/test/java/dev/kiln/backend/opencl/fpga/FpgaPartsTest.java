package dev.kiln.backend.opencl.fpga;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FpgaPartsTest {
    @Test
    void knowsTheIssuesPartsWithTheirVendorFlow() {
        assertEquals("aoc", FpgaParts.byId("arria10-gx1150").vendor().offlineCompiler());
        assertEquals("aoc", FpgaParts.byId("stratix10-gx2800").vendor().offlineCompiler());
        assertEquals("aoc", FpgaParts.byId("stratixv-gxa7").vendor().offlineCompiler());
        assertEquals("v++", FpgaParts.byId("alveo-u250").vendor().offlineCompiler());
        assertEquals("v++", FpgaParts.byId("zu9eg").vendor().offlineCompiler());
        assertEquals(1_518, FpgaParts.byId("arria10-gx1150").dsp().count());
    }

    @Test
    void unknownPartNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FpgaParts.byId("virtex2"));
        assertTrue(e.getMessage().contains("'virtex2'") && e.getMessage().contains("arria10-gx1150"), e.getMessage());
    }

    @Test
    void onChipMemoryCountsUltraRam() {
        // 2,688 BRAM36 (94.5 Mb) + 1,280 URAM (360 Mb) = 454.5 Mb = 59.6 MB.
        assertEquals(59_572_224L, FpgaParts.byId("alveo-u250").memory().totalBytes());
    }

    @Test
    void laneCostFollowsTheDspBlock() {
        FpgaPart a10 = FpgaParts.byId("arria10-gx1150");
        assertEquals(1.0, a10.dspPerLane(FpgaDataType.FP32));
        assertEquals(0.5, a10.dspPerLane(FpgaDataType.INT8));
        assertEquals(5.0, FpgaParts.byId("zu9eg").dspPerLane(FpgaDataType.FP32), 1e-9);
    }
}
