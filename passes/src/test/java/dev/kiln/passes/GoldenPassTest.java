package dev.kiln.passes;

import dev.kiln.ir.Graph;
import dev.kiln.ir.text.IrParser;
import dev.kiln.ir.text.IrPrinter;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden before/after tests: every {@code resources/passes/<pass-name>/<case>.ir} holds a first-line comment saying
 * what the case checks, an input graph, a line {@code // expect:}, and the graph the pass must produce. Each case
 * may say {@code // target-layout: NHWC} (or {@code NCHW_BLOCKED}, optionally followed by pass options such as
 * {@code layout.block=4}) on its second line to run for a target preferring that layout. Each case
 * also runs its numerical twin: the reference backend's outputs before and after agree on random inputs.
 */
class GoldenPassTest {
    private static final String EXPECT = "// expect:";
    private static final java.util.regex.Pattern TARGET_LAYOUT =
            java.util.regex.Pattern.compile("\n// target-layout: (\\w+)((?: [\\w.]+=\\w+)*)\n");

    @TestFactory
    List<DynamicTest> everyGoldenCase() throws IOException, URISyntaxException {
        Path root = Path.of(GoldenPassTest.class.getResource("/passes").toURI());
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".ir")).sorted().toList()) {
                String pass = file.getParent().getFileName().toString();
                tests.add(DynamicTest.dynamicTest(pass + "/" + file.getFileName(), () -> check(pass, file)));
            }
        }
        return tests;
    }

    /** The reference target, or one preferring the layout (with the options) a {@code // target-layout:} line names. */
    private static PassContext contextFor(String text) {
        java.util.regex.Matcher m = TARGET_LAYOUT.matcher(text);
        if (!m.find()) return PassContext.defaults();
        java.util.Map<String, String> options = new java.util.LinkedHashMap<>();
        for (String option : m.group(2).trim().split(" ")) {
            if (!option.isEmpty()) options.put(option.substring(0, option.indexOf('=')), option.substring(option.indexOf('=') + 1));
        }
        return new PassContext(OptLevel.O3, options,
                new TargetPreferences(TargetPreferences.Layout.valueOf(m.group(1)), java.util.Set.of("*")));
    }

    private static void check(String passName, Path file) throws IOException {
        String text = Files.readString(file);
        assertTrue(text.startsWith("//"), file + ": the first line must be a comment saying what the case checks");
        int split = text.indexOf(EXPECT);
        assertTrue(split > 0, file + ": no '" + EXPECT + "' line");
        Graph input = IrParser.parse(text.substring(0, split));
        Graph expected = IrParser.parse(text.substring(split + EXPECT.length()));
        PassManager manager = new PassManager(List.of(PassRegistry.byName(passName)), PassOptions.verifying(),
                new java.io.PrintWriter(java.io.Writer.nullWriter()));
        Graph output = manager.run(input, contextFor(text)).graph();
        assertEquals(IrPrinter.print(expected), IrPrinter.print(output), file.getFileName() + ": IR after " + passName);
        NumericalTwin.assertSameOutputs(input, output, 42);
    }
}
