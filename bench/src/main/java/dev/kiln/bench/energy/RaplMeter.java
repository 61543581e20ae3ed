package dev.kiln.bench.energy;

import dev.kiln.runtime.KilnException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * CPU package energy from RAPL through the Linux powercap interface ({@code /sys/class/powercap}), which Intel and
 * AMD (Zen) processors both expose under {@code intel-rapl} names. Only the top-level zones
 * {@code intel-rapl:N} (one per package) are summed: their subzones ({@code intel-rapl:N:M}: cores, uncore, DRAM)
 * are parts of the package figure, and counting them too would double count. Each zone's {@code energy_uj} counter
 * wraps at {@code max_energy_range_uj}; a wrap is detected when a reading is below the previous one, so the meter
 * must be read at least once per wrap period (minutes at full load, far longer than a benchmark round).
 */
public final class RaplMeter implements EnergyMeter {
    private static final Pattern PACKAGE_ZONE = Pattern.compile("intel-rapl:\\d+");

    private final List<Zone> zones;
    private double totalMicrojoules;

    private RaplMeter(List<Zone> zones) { this.zones = zones; }

    /** The meter over the package zones under {@code powercapRoot} (normally {@code /sys/class/powercap}), or why there is none. */
    public static MeterLookup open(Path powercapRoot) {
        if (!Files.isDirectory(powercapRoot)) {
            return MeterLookup.missing("no powercap interface (" + powercapRoot + " missing): using the estimate");
        }
        List<Path> dirs;
        try (Stream<Path> entries = Files.list(powercapRoot)) {
            dirs = entries.filter(p -> PACKAGE_ZONE.matcher(p.getFileName().toString()).matches()).sorted().toList();
        } catch (IOException e) {
            return MeterLookup.missing("cannot list " + powercapRoot + " (" + e.getMessage() + "): using the estimate");
        }
        if (dirs.isEmpty()) return MeterLookup.missing("no RAPL package zones (intel-rapl:N) under " + powercapRoot + ": using the estimate");
        List<Zone> zones = new ArrayList<>();
        for (Path dir : dirs) {
            Path counter = dir.resolve("energy_uj");
            try {
                Zone zone = new Zone(counter, readLong(dir.resolve("max_energy_range_uj")));
                zone.last = readLong(counter);
                zones.add(zone);
            } catch (AccessDeniedException e) {
                return MeterLookup.missing(counter + " is not readable (root-only since Linux 5.10): using the estimate");
            } catch (IOException | NumberFormatException e) {
                return MeterLookup.missing("cannot read " + dir + " (" + e.getMessage() + "): using the estimate");
            }
        }
        return MeterLookup.found(new RaplMeter(zones));
    }

    @Override
    public String source() { return "rapl"; }

    /** Joules since the meter was opened, summed over package zones, wrap-arounds included. */
    @Override
    public synchronized double joules() {
        for (Zone z : zones) {
            long now;
            try {
                now = readLong(z.counter);
            } catch (IOException | NumberFormatException e) {
                throw new KilnException("rapl: cannot read " + z.counter + ": " + e.getMessage(), e);
            }
            totalMicrojoules += now >= z.last ? now - z.last : z.maxRange - z.last + now;
            z.last = now;
        }
        return totalMicrojoules / 1e6;
    }

    private static long readLong(Path file) throws IOException { return Long.parseLong(Files.readString(file).trim()); }

    /** One package zone: its counter file, wrap range, and last reading (µJ). */
    private static final class Zone {
        final Path counter;
        final long maxRange;
        long last;

        Zone(Path counter, long maxRange) {
            this.counter = counter;
            this.maxRange = maxRange;
        }
    }
}
