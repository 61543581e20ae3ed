package dev.kiln.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine a run was measured on: reports name it, since a ratio means nothing without its machine. */
public record MachineInfo(String cpuModel, int cores, long memoryBytes, String os, String jdk) {

    public static MachineInfo current() {
        return new MachineInfo(readCpuModel(), Runtime.getRuntime().availableProcessors(), totalMemoryBytes(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    }

    /** {@code AMD EPYC 7B13, 2 cores, 24.0 GiB, Linux 6.1 amd64, Eclipse Adoptium OpenJDK 64-Bit Server VM 25.0.3+9-LTS}. */
    public String summary() {
        return String.format(Locale.ROOT, "%s, %d cores, %.1f GiB, %s, %s", cpuModel, cores, memoryBytes / (double) (1L << 30), os, jdk);
    }

    private static String readCpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc unreadable: fall back to the architecture below.
        }
        return System.getProperty("os.arch");
    }

    private static long totalMemoryBytes() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }
}
