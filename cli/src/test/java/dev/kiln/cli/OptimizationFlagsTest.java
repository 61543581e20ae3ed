package dev.kiln.cli;

import dev.kiln.ir.Graph;
import dev.kiln.ir.text.IrParser;
import dev.kiln.ir.text.IrPrinter;
import dev.kiln.passes.IrDump;
import dev.kiln.passes.Pipelines;
import dev.kiln.passes.OptLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pass manager's flags as the CLI takes them: dumps parse back, stats and dumps go to stderr, bad names fail. */
class OptimizationFlagsTest {
    private static final Path MODEL = repoFile("models/resnet/model.onnx");

    @TempDir
    Path dir;

    private static Path repoFile(String relative) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve(relative))) return d.resolve(relative);
        }
        throw new IllegalStateException(relative + " not found above the working directory");
    }

    @Test
    void dumpDirHoldsOneParseableFilePerPassPlusTheInput() throws IOException {
        Path dump = dir.resolve("dump");
        Cli r = Cli.run("inspect", MODEL.toString(), "-O2", "--dump-dir", dump.toString());
        assertEquals(0, r.code(), r.toString());
        List<Path> files;
        try (Stream<Path> s = Files.list(dump)) {
            files = s.filter(p -> p.toString().endsWith(".ir")).sorted().toList();
        }
        assertEquals(Pipelines.names(OptLevel.O2).size() + 1, files.size(), files.toString());
        assertEquals("000_input.ir", files.getFirst().getFileName().toString());
        for (Path f : files) {
            String text = Files.readString(f);
            Graph g = IrParser.parse(text, IrDump.resolver(dump));
            assertEquals(text, IrPrinter.print(g), f + " does not print back identically");
        }
        assertEquals(Files.readString(files.getLast()), r.out(), "inspect prints the last dump's IR");
    }

    @Test
    void statsAndIrPrintsGoToStderrSoStdoutStaysTheResult() {
        Cli r = Cli.run("inspect", MODEL.toString(), "-O1", "--pass-stats", "--print-ir-after-all");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("eliminate-dead-code"), r.err());
        assertTrue(r.err().contains("// ----- IR after eliminate-dead-code"), r.err());
        assertTrue(r.err().contains("total"), r.err());
        assertFalse(r.out().contains("time (ms)"), r.out());
    }

    @Test
    void disablingAPassSkipsIt() {
        Cli r = Cli.run("inspect", MODEL.toString(), "-O1", "--pass-stats", "--disable-pass", "eliminate-dead-code");
        assertEquals(0, r.code(), r.toString());
        assertFalse(r.err().contains("eliminate-dead-code "), r.err());
    }

    @Test
    void unknownPassesAndLevelsAreOneLineErrors() {
        Cli pass = Cli.run("run", MODEL.toString(), "--disable-pass", "fold-everything");
        assertEquals(1, pass.code(), pass.toString());
        assertTrue(pass.err().startsWith("kiln run: unknown pass 'fold-everything' (known: "), pass.err());
        assertEquals(1, pass.err().strip().lines().count(), pass.err());
        Cli level = Cli.run("inspect", MODEL.toString(), "-O7");
        assertEquals(1, level.code(), level.toString());
        assertTrue(level.err().contains("unknown optimization level '7'"), level.err());
    }

    @Test
    void passesListsEveryPassAndEachLevelsPipeline() {
        Cli r = Cli.run("passes");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("eliminate-dead-code"), r.out());
        assertTrue(r.out().contains("-O2: " + String.join(", ", Pipelines.names(OptLevel.O2))), r.out());
    }
}
