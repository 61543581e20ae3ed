package dev.kiln.bench.energy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NvmlMeterTest {
    @Test
    void aMissingDriverIsReportedNotThrown() {
        assertEquals("no NVIDIA driver (libnvidia-ml-absent.so.1 not found): using the estimate",
                NvmlMeter.open("libnvidia-ml-absent.so.1", 0).reason());
    }

    @Test
    void theGpuCounterNeverRunsBackwards() throws InterruptedException {
        MeterLookup lookup = EnergyMeters.forDevice("cuda");
        assumeTrue(lookup.meter().isPresent(), lookup.reason());
        EnergyMeter meter = lookup.meter().get();
        assertEquals("nvml", meter.source());
        double before = meter.joules();
        Thread.sleep(200);
        double after = meter.joules();
        assertTrue(before > 0 && after >= before, before + " J then " + after + " J");
    }

    @Test
    void otherDevicesSayWhy() {
        assertEquals("the OpenCL backend exposes no board sensor yet: using the estimate", EnergyMeters.forDevice("opencl").reason());
        assertTrue(EnergyMeters.forDevice("tpu").reason().startsWith("no energy sensor known for device 'tpu'"));
    }
}
