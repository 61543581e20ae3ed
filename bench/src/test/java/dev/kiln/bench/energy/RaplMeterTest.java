package dev.kiln.bench.energy;

import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** RaplMeter over a temporary directory laid out like /sys/class/powercap. */
class RaplMeterTest {
    @TempDir
    Path root;

    private Path zone(String name, long energyUj, long maxUj) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name));
        Files.writeString(dir.resolve("name"), name.chars().filter(c -> c == ':').count() == 1 ? "package-0\n" : "core\n");
        Files.writeString(dir.resolve("energy_uj"), energyUj + "\n");
        Files.writeString(dir.resolve("max_energy_range_uj"), maxUj + "\n");
        return dir;
    }

    private static void set(Path zone, long energyUj) throws IOException {
        Files.writeString(zone.resolve("energy_uj"), energyUj + "\n");
    }

    private static EnergyMeter open(Path root) {
        MeterLookup lookup = RaplMeter.open(root);
        return lookup.meter().orElseThrow(() -> new AssertionError(lookup.reason()));
    }

    @Test
    void sumsPackageZonesOnlyAndStartsAtZero() throws IOException {
        Path pkg0 = zone("intel-rapl:0", 1_000_000, 262_143_328_850L);
        Path core = zone("intel-rapl:0:0", 500_000, 262_143_328_850L);
        Path pkg1 = zone("intel-rapl:1", 7_000_000, 262_143_328_850L);
        EnergyMeter meter = open(root);
        assertEquals("rapl", meter.source());
        assertEquals(0, meter.joules(), 1e-12);
        set(pkg0, 3_500_000);       // +2.5 J
        set(core, 9_000_000);       // a subzone: part of package 0, not added again
        set(pkg1, 8_000_000);       // +1 J
        assertEquals(3.5, meter.joules(), 1e-12);
        assertEquals(3.5, meter.joules(), 1e-12);
    }

    @Test
    void countsAcrossAWrapAround() throws IOException {
        Path pkg = zone("intel-rapl:0", 900_000, 1_000_000);
        EnergyMeter meter = open(root);
        set(pkg, 100_000);          // 100 000 µJ to the wrap, 100 000 after: 0.2 J
        assertEquals(0.2, meter.joules(), 1e-12);
        set(pkg, 400_000);
        assertEquals(0.5, meter.joules(), 1e-12);
    }

    @Test
    void saysWhyThereIsNoMeter() throws IOException {
        Path missing = root.resolve("powercap");
        assertEquals("no powercap interface (" + missing + " missing): using the estimate", RaplMeter.open(missing).reason());
        Files.createDirectories(root.resolve("dtpm"));
        assertTrue(RaplMeter.open(root).reason().startsWith("no RAPL package zones (intel-rapl:N) under "));
        Path pkg = zone("intel-rapl:0", 1, 10);
        Files.writeString(pkg.resolve("max_energy_range_uj"), "lots\n");
        assertTrue(RaplMeter.open(root).reason().startsWith("cannot read " + pkg));
    }

    @Test
    void aRootOnlyCounterIsNotAvailable() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads any file");
        Path pkg = zone("intel-rapl:0", 1, 10);
        Files.setPosixFilePermissions(pkg.resolve("energy_uj"), PosixFilePermissions.fromString("---------"));
        assertEquals(pkg.resolve("energy_uj") + " is not readable (root-only since Linux 5.10): using the estimate",
                RaplMeter.open(root).reason());
    }

    @Test
    void aCounterThatVanishesFailsWithItsPath() throws IOException {
        Path pkg = zone("intel-rapl:0", 1, 10);
        EnergyMeter meter = open(root);
        Files.delete(pkg.resolve("energy_uj"));
        KilnException e = assertThrows(KilnException.class, meter::joules);
        assertTrue(e.getMessage().startsWith("rapl: cannot read " + pkg.resolve("energy_uj")), e.getMessage());
    }

    @Test
    void withoutPowercapTheCpuHasNoMeter() {
        assumeFalse(Files.isDirectory(EnergyMeters.POWERCAP), "this machine has a powercap interface");
        assertEquals("no powercap interface (/sys/class/powercap missing): using the estimate", EnergyMeters.forDevice("cpu").reason());
    }
}
