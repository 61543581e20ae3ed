package dev.kiln.passes;

import dev.kiln.ir.Graph;
import dev.kiln.passes.quant.QuantizationSettings;
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
 * Quantization cases say {@code // quantize: int8} (or {@code int8-dynamic}, optionally {@code uint8} and
 * {@code keep-float=GLOB}), give the calibrated ranges as {@code // ranges: x=-1:1 y=0:6}, and how far the outputs
 * may move as {@code // tolerance: 0.05}.
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

    private static final java.util.regex.Pattern QUANTIZE = java.util.regex.Pattern.compile("\n// quantize: ([^\n]*)\n");
    private static final java.util.regex.Pattern RANGES = java.util.regex.Pattern.compile("\n// ranges: ([^\n]*)\n");
    private static final java.util.regex.Pattern TOLERANCE = java.util.regex.Pattern.compile("\n// tolerance: ([^\n]*)\n");

    /** The quantization a {@code // quantize:} line asks for, with the ranges of the {@code // ranges:} line; null without one. */
    private static QuantizationSettings quantization(String text) {
        java.util.regex.Matcher m = QUANTIZE.matcher(text);
        if (!m.find()) return null;
        java.util.List<String> words = java.util.List.of(m.group(1).trim().split(" "));
        java.util.Map<String, double[]> ranges = new java.util.LinkedHashMap<>();
        java.util.regex.Matcher r = RANGES.matcher(text);
        if (r.find()) {
            for (String range : r.group(1).trim().split(" ")) {
                String[] bounds = range.substring(range.indexOf('=') + 1).split(":");
                ranges.put(range.substring(0, range.indexOf('=')), new double[] {Double.parseDouble(bounds[0]), Double.parseDouble(bounds[1])});
            }
        }
        java.util.List<java.util.regex.Pattern> keep = words.stream().filter(w -> w.startsWith("keep-float="))
                .map(w -> QuantizationSettings.nodePattern(w.substring("keep-float=".length()))).toList();
        return new QuantizationSettings(words.contains("int8-dynamic") ? QuantizationSettings.Mode.DYNAMIC : QuantizationSettings.Mode.STATIC,
                words.contains("uint8") ? dev.kiln.ir.DType.U8 : dev.kiln.ir.DType.I8, keep, (graph, tensors) -> {
                    java.util.Map<String, double[]> asked = new java.util.LinkedHashMap<>(ranges);
                    asked.keySet().retainAll(tensors);
                    return asked;
                });
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
        PassContext ctx = contextFor(text);
        QuantizationSettings quantization = quantization(text);
        if (quantization != null) ctx = new PassContext(ctx.level(), java.util.Map.of(), ctx.target(), quantization);
        Graph output = manager.run(input, ctx).graph();
        assertEquals(IrPrinter.print(expected), IrPrinter.print(output), file.getFileName() + ": IR after " + passName);
        java.util.regex.Matcher tolerance = TOLERANCE.matcher(text);
        NumericalTwin.assertSameOutputs(input, output, 42, tolerance.find() ? Double.parseDouble(tolerance.group(1).trim()) : 0);
    }
}
