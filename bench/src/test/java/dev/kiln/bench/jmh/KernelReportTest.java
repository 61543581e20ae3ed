package dev.kiln.bench.jmh;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * KernelReport on a committed JMH JSON file from a real short run ({@code bin/kiln-jmh -f 1 -wi 2 -i 3 -w 1s -r 1s}
 * on the 2-core EPYC of docs/benchmarks-jmh.md). The expected figures were worked out by hand from the file's scores.
 */
class KernelReportTest {

    private static List<JmhResult> sample() throws IOException, URISyntaxException {
        return JmhResult.read(Path.of(KernelReportTest.class.getResource("jmh-sample.json").toURI()));
    }

    /** The report line of {@code kernel} at {@code shape} for {@code impl}. */
    private static String row(String report, String kernel, String shape, String impl) {
        return report.lines().filter(l -> l.startsWith(kernel + " ") && l.contains(" " + shape + " ") && l.contains(" " + impl + " "))
                .findFirst().orElseThrow(() -> new AssertionError("no row for " + kernel + " " + shape + " " + impl + " in\n" + report));
    }

    @Test
    void limitsComeFromTheProbesOfTheSameRun() throws Exception {
        String report = KernelReport.render(sample());
        // FmaPeakProbe.vector: 2^24 FLOP in 151.462 us; triad: 12 * 2^24 bytes in 20555.471 us.
        assertTrue(report.contains("FMA peak, Vector API (SPECIES_PREFERRED)     110.77 GFLOP/s"), report);
        assertTrue(report.contains("Bandwidth, triad a = b + s*c (12 B/elem)       9.79 GB/s"), report);
    }

    @Test
    void gemmIsReadAsAFractionOfTheFmaPeakAndAgainstItsBaseline() throws Exception {
        String gemm = row(KernelReport.render(sample()), "GemmBench", "size=512", "ref 1t");
        // 2 * 512^3 FLOP in 98856.739 us = 2.715 GFLOP/s = 2.45% of 110.77; scalar 184090.941 us / 98856.739 us = 1.86.
        assertTrue(gemm.matches(".*\\s2\\.715\\s+2\\.5%\\s+-\\s+-\\s+compute\\s+1\\.86x$"), gemm);
    }

    @Test
    void aStreamingKernelIsReadAgainstTheMeasuredBandwidth() throws Exception {
        String add = row(KernelReport.render(sample()), "ElementwiseBench", "elements=4194304", "scalar");
        // 12 * 4194304 bytes in 6653.732 us = 7.56 GB/s = 77.2% of the triad's 9.79 GB/s; 2 FLOP per 12 bytes is memory-bound.
        assertTrue(add.matches(".*\\s7\\.56\\s+77\\.2%\\s+memory\\s+-$"), add);
    }

    @Test
    void withoutProbesTheFractionsAreUnknownNotInvented() throws Exception {
        List<JmhResult> kernelsOnly = sample().stream().filter(r -> KernelCatalog.kernel(r.benchmarkClass()).isPresent()).toList();
        String report = KernelReport.render(kernelsOnly);
        assertTrue(report.contains("not measured (run FmaPeakProbe.vector too)"), report);
        String gemm = row(report, "GemmBench", "size=512", "ref 1t");
        assertTrue(gemm.matches(".*\\s2\\.715\\s+\\?\\s+-\\s+-\\s+\\?\\s+1\\.86x$"), gemm);
    }

    @Test
    void scoresConvertFromEveryJmhUnit() {
        assertEquals(2e-6, new JmhResult("a.B.c", "avgt", Map.of(), 2, "us/op").secondsPerCall(), 1e-18);
        assertEquals(3e-3, new JmhResult("a.B.c", "ss", Map.of(), 3, "ms/op").secondsPerCall(), 1e-15);
        assertEquals(0.25, new JmhResult("a.B.c", "thrpt", Map.of(), 4, "ops/s").secondsPerCall(), 1e-15);
        assertEquals(1e-9 / 5, new JmhResult("a.B.c", "thrpt", Map.of(), 5, "ops/ns").secondsPerCall(), 1e-21);
        assertThrows(IllegalArgumentException.class, () -> new JmhResult("a.B.c", "avgt", Map.of(), 1, "furlongs").secondsPerCall());
    }

    @Test
    void aFileThatIsNotJmhJsonIsNamedInTheError() throws Exception {
        Path bad = Files.createTempFile("not-jmh", ".json");
        try {
            Files.writeString(bad, "{\"benchmark\": 1}");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JmhResult.read(bad));
            assertTrue(e.getMessage().startsWith(bad + ": not JMH JSON results"), e.getMessage());
        } finally {
            Files.delete(bad);
        }
    }
}
