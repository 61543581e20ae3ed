package dev.kiln.bench.energy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * This machine's x86-64 CPU as Linux describes it (/proc/cpuinfo and the sysfs cache directories), reduced to
 * what the energy profile needs: the process node, the SIMD width and the last-level cache.
 */
record HostCpu(String vendor, int family, int model, String modelName, Set<String> flags, int logicalCpus,
               long lastLevelCacheBytes) {
    /** The process assumed when vendor, family and model are not in {@link #processNm()}'s table: a 7 nm-class part (judgement). */
    static final int DEFAULT_PROCESS_NM = 7;
    /** The last-level cache assumed when Linux reports none: 32 MiB, a common server L3 slice (judgement). */
    static final long DEFAULT_LLC_BYTES = 32L << 20;

    static HostCpu read() {
        String cpuinfo;
        try {
            cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException e) {
            cpuinfo = "";
        }
        return parse(cpuinfo, largestCache(Path.of("/sys/devices/system/cpu/cpu0/cache")));
    }

    /** Parses /proc/cpuinfo's text (its first processor's fields); {@code sysfsLlcBytes} 0 when unknown. */
    static HostCpu parse(String cpuinfo, long sysfsLlcBytes) {
        Map<String, String> fields = new HashMap<>();
        int processors = 0;
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String key = line.substring(0, colon).trim(), value = line.substring(colon + 1).trim();
            if (key.equals("processor")) processors++;
            fields.putIfAbsent(key, value);
        }
        Set<String> flags = Arrays.stream(fields.getOrDefault("flags", "").split("\\s+")).collect(Collectors.toSet());
        long llc = sysfsLlcBytes > 0 ? sysfsLlcBytes : sizeBytes(fields.getOrDefault("cache size", ""));
        return new HostCpu(fields.getOrDefault("vendor_id", "unknown"), intField(fields, "cpu family"), intField(fields, "model"),
                fields.getOrDefault("model name", "unknown CPU"), flags, Math.max(1, processors), llc > 0 ? llc : DEFAULT_LLC_BYTES);
    }

    /**
     * The process node from vendor, family and model (Linux's decimal numbers). AMD: family 23 (Zen, Zen+; Zen 2
     * from model 0x30) 14/7 nm; family 25 Zen 3 7 nm except Zen 4 models (0x10-0x1F Genoa, 0x60-0x7F, 0xA0-0xAF
     * Bergamo) 5 nm; family 26 (Zen 5) 4 nm. Intel family 6: Skylake/Cascade Lake server (0x55) and Broadwell
     * (0x4F) 14 nm; Ice Lake server (0x6A, 0x6C) and Intel 7 parts (Sapphire Rapids 0x8F, Emerald Rapids 0xCF,
     * a refined 10 nm) 10 nm; Granite Rapids (0xAD) and Sierra Forest (0xAF), Intel 3, taken as 5 nm (judgement).
     */
    int processNm() {
        if (vendor.equals("AuthenticAMD")) {
            return switch (family) {
                case 23 -> model >= 0x30 ? 7 : 14;
                case 25 -> (model >= 0x10 && model <= 0x1F) || (model >= 0x60 && model <= 0x7F) || (model >= 0xA0 && model <= 0xAF) ? 5 : 7;
                case 26 -> 4;
                default -> DEFAULT_PROCESS_NM;
            };
        }
        if (vendor.equals("GenuineIntel") && family == 6) {
            return switch (model) {
                case 0x4F, 0x55 -> 14;
                case 0x6A, 0x6C, 0x8F, 0xCF -> 10;
                case 0xAD, 0xAF -> 5;
                default -> DEFAULT_PROCESS_NM;
            };
        }
        return DEFAULT_PROCESS_NM;
    }

    /** FP32 operations one SIMD instruction performs: an FMA over 16 (AVX-512) or 8 (AVX2) lanes, else 4 SSE lanes. */
    int flopsPerInstruction() {
        if (flags.contains("avx512f")) return 32;
        if (flags.contains("fma") && flags.contains("avx2")) return 16;
        return 4;
    }

    /** The size of the highest-level cache under a sysfs {@code cpuN/cache} directory; 0 when absent. */
    static long largestCache(Path cacheDir) {
        if (!Files.isDirectory(cacheDir)) return 0;
        try (Stream<Path> indices = Files.list(cacheDir)) {
            return indices.filter(p -> p.getFileName().toString().startsWith("index"))
                    .max((a, b) -> Integer.compare(level(a), level(b)))
                    .map(p -> sizeBytes(readOr(p.resolve("size"), ""))).orElse(0L);
        } catch (IOException e) {
            return 0;
        }
    }

    private static int level(Path index) {
        try {
            return Integer.parseInt(readOr(index.resolve("level"), "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String readOr(Path file, String fallback) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return fallback;
        }
    }

    /** "32768K", "32768 KB", "32M" → bytes; 0 when unparseable. */
    static long sizeBytes(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT).replace("B", "").replace(" ", "");
        if (t.isEmpty()) return 0;
        long unit = switch (t.charAt(t.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        try {
            return Long.parseLong(digits) * unit;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int intField(Map<String, String> fields, String key) {
        try {
            return Integer.parseInt(fields.getOrDefault(key, "-1"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
