package dev.kiln.backend.opencl.offline;

import dev.kiln.backend.opencl.fpga.FpgaParts;
import dev.kiln.backend.opencl.render.RenderOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The vendors' build scripts in an FPGA part's emit dir: the documented commands, valid shell, and a clear stop without a board. */
class FpgaBuildTest {
    @TempDir
    Path dir;

    @Test
    void anIntelPartGetsAocForTheImageAndTheEmulator() throws Exception {
        HostManifest m = emit("arria10-gx1150");
        assertEquals("fpga:arria10-gx1150", m.target());
        String script = Files.readString(dir.resolve("build.sh"));
        assertTrue(script.contains("  hardware) aoc -board=\"$AOC_BOARD\" kernels.cl -o kiln.aocx ;;\n"), script);
        assertTrue(script.contains("  emulator) aoc -march=emulator -board=\"$AOC_BOARD\" kernels.cl -o kiln.emulator.aocx ;;\n"), script);
        assertShellStopsWithoutItsVariable("AOC_BOARD");
    }

    @Test
    void anAmdPartGetsOneVppCompilePerKernelAndOneLink() throws Exception {
        HostManifest m = emit("alveo-u250");
        String script = Files.readString(dir.resolve("build.sh"));
        for (HostManifest.Kernel k : m.kernels()) {
            assertTrue(script.contains("v++ -c -t \"$t\" --platform \"$VITIS_PLATFORM\" -k " + k.name() + " -o \"" + k.name() + ".$t.xo\" kernels.cl\n"), script);
        }
        String objects = String.join(" ", m.kernels().stream().map(k -> "\"" + k.name() + ".$t.xo\"").toList());
        assertTrue(script.contains("v++ -l -t \"$t\" --platform \"$VITIS_PLATFORM\" " + objects + " -o \"$out\"\n"), script);
        assertShellStopsWithoutItsVariable("VITIS_PLATFORM");
    }

    private HostManifest emit(String part) throws IOException {
        FpgaEmitter.Emitted e = FpgaEmitter.emit(TinyCnn.graph(), RenderOptions.defaults(64 * 1024), new FpgaBuild(FpgaParts.byId(part)), dir, Map.of());
        assertEquals(List.of("kernels.cl", "kiln.manifest.json", "kiln.weights.bin", "build.sh"), e.files().stream().map(f -> f.getFileName().toString()).toList());
        assertTrue(Files.isExecutable(dir.resolve("build.sh")));
        return e.manifest();
    }

    /** {@code sh -n} accepts the script, and run without the board/platform variable it stops naming it, before any vendor tool. */
    private void assertShellStopsWithoutItsVariable(String variable) throws Exception {
        assertEquals(0, new ProcessBuilder("sh", "-n", dir.resolve("build.sh").toString()).inheritIO().start().waitFor());
        ProcessBuilder run = new ProcessBuilder("sh", dir.resolve("build.sh").toString()).redirectErrorStream(true);
        run.environment().remove(variable);
        Process p = run.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor() != 0, output);
        assertTrue(output.contains(variable + ": set " + variable + " to "), output);
    }
}
