package dev.kiln.bench.energy;

import dev.kiln.backend.opencl.fpga.FpgaPart;
import dev.kiln.backend.opencl.fpga.FpgaParts;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceEnergyProfilesTest {
    private static final String EPYC_GENOA = """
            processor	: 0
            vendor_id	: AuthenticAMD
            cpu family	: 25
            model		: 17
            model name	: AMD EPYC 9354
            cache size	: 1024 KB
            flags		: fpu sse2 avx2 fma avx512f
            
            processor	: 1
            vendor_id	: AuthenticAMD
            """;

    @Test
    void scalingIsOneAt45nmAndFallsWithEachNode() {
        assertEquals(1, ProcessScaling.energyFactor(45), 1e-12);
        // Stillmaker-Baas 7 nm at 0.7 V over 45 nm at 0.9 V: 0.047815 / 0.844330.
        assertEquals(0.047815 / 0.84433, ProcessScaling.energyFactor(7), 1e-5);
        int[] nodes = {45, 32, 20, 16, 14, 10, 7, 5};
        for (int i = 1; i < nodes.length; i++) {
            assertTrue(ProcessScaling.energyFactor(nodes[i]) < ProcessScaling.energyFactor(nodes[i - 1]), nodes[i] + " nm");
        }
        assertEquals(ProcessScaling.energyFactor(5), ProcessScaling.energyFactor(4));
        assertEquals(ProcessScaling.energyFactor(32), ProcessScaling.energyFactor(28)); // Stratix V, taken as 32 nm
        assertThrows(IllegalArgumentException.class, () -> ProcessScaling.energyFactor(22));
    }

    @Test
    void cpuinfoGivesNodeSimdWidthCacheAndCores() {
        HostCpu cpu = HostCpu.parse(EPYC_GENOA, 0);
        assertEquals(5, cpu.processNm());                     // Zen 4 (Genoa, family 25 model 0x11)
        assertEquals(32, cpu.flopsPerInstruction());          // AVX-512 FMA
        assertEquals(1 << 20, cpu.lastLevelCacheBytes());     // cpuinfo's cache size when sysfs has none
        assertEquals(2, cpu.logicalCpus());
        assertEquals(32L << 20, HostCpu.parse(EPYC_GENOA, 32L << 20).lastLevelCacheBytes());
        assertEquals(7, HostCpu.parse(EPYC_GENOA.replace("model\t\t: 17", "model\t\t: 1"), 0).processNm()); // Zen 3 Milan
        assertEquals(7, HostCpu.parse(EPYC_GENOA.replace(": 25", ": 23").replace("model\t\t: 17", "model\t\t: 49"), 0).processNm()); // Zen 2 Rome
        String skylake = "vendor_id : GenuineIntel\ncpu family : 6\nmodel : 85\nflags : avx2 fma\n";
        assertEquals(14, HostCpu.parse(skylake, 0).processNm());
        assertEquals(16, HostCpu.parse(skylake, 0).flopsPerInstruction());
        HostCpu unknown = HostCpu.parse("", 0);
        assertEquals(HostCpu.DEFAULT_PROCESS_NM, unknown.processNm());
        assertEquals(HostCpu.DEFAULT_LLC_BYTES, unknown.lastLevelCacheBytes());
        assertEquals(4, unknown.flopsPerInstruction());
        assertEquals(32L << 20, HostCpu.sizeBytes("32768K"));
        assertEquals(1L << 20, HostCpu.sizeBytes("1024 KB"));
    }

    @Test
    void cpuProfileScalesHorowitzToTheNode() {
        DeviceEnergyProfile p = DeviceEnergyProfiles.cpu(HostCpu.parse(EPYC_GENOA, 32L << 20));
        double f = ProcessScaling.energyFactor(5);
        assertEquals(5, p.processNm());
        assertEquals(2.3 * f, p.fp32OpPj(), 1e-12);
        assertEquals(0.115 * f, p.int8OpPj(), 1e-12);
        assertEquals(12.5 * f, p.cacheBytePj(), 1e-12);
        assertEquals(160, p.dramBytePj(), 1e-12);
        assertEquals(70 * f / 32, p.overheadPerOpPj(), 1e-12);
        assertEquals(3.0, p.staticWatts(), 1e-12);
        assertEquals(32L << 20, p.lastLevelCacheBytes());
    }

    @Test
    void devicesMapToProfiles() {
        assertEquals(4, DeviceEnergyProfiles.forDevice("cuda").processNm());
        assertEquals(73.8, DeviceEnergyProfiles.forDevice("cuda").staticWatts());
        assertEquals(31.2, DeviceEnergyProfiles.forDevice("cuda").dramBytePj(), 1e-12);
        assertEquals(16, DeviceEnergyProfiles.forDevice("opencl").processNm());
        assertEquals(DeviceEnergyProfiles.hostCpu(), DeviceEnergyProfiles.forDevice("cpu"));
        assertEquals(DeviceEnergyProfiles.hostCpu(), DeviceEnergyProfiles.forDevice("ref"));
        assertEquals(DeviceEnergyProfiles.hostCpu(), DeviceEnergyProfiles.forDevice("opencl", "Portable Computing Language (pocl) cpu-x86-64"));
        assertThrows(IllegalArgumentException.class, () -> DeviceEnergyProfiles.forDevice("tpu"));
    }

    @Test
    void fpgaProfilesTakeTheirFiguresFromTheDescribedPart() {
        for (FpgaPart part : FpgaParts.all()) {
            DeviceEnergyProfile p = DeviceEnergyProfiles.fpga(part);
            assertEquals(part.processNm(), p.processNm(), part.id());
            assertEquals(part.power().boardIdleWatts(), p.staticWatts(), part.id());
            assertEquals(part.memory().totalBytes(), p.lastLevelCacheBytes(), part.id());
            assertEquals(part.power().dramPjPerByte(), p.dramBytePj(), part.id());
        }
        assertEquals(DeviceEnergyProfiles.fpga(FpgaParts.byId("zu9eg")), DeviceEnergyProfiles.forDevice("opencl"));
    }
}
