package dev.kiln.cli.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds ONNX backend tests under folders. A folder holding {@code model.onnx} is one test (its data sets are the
 * {@code test_data_set_*} folders with {@code input_K.pb} and {@code output_K.pb}); a folder holding
 * {@code light_<name>.onnx} files is the light-model layout (expected output {@code light_<name>_output_K.pb});
 * any other folder is searched for tests in its subfolders.
 */
public final class TestDiscovery {
    private static final int MAX_DEPTH = 4;
    private static final Pattern LIGHT_MODEL = Pattern.compile("(light_.+)\\.onnx");
    private static final Pattern INPUT = Pattern.compile("input_(\\d+)\\.pb");
    private static final Pattern OUTPUT = Pattern.compile("output_(\\d+)\\.pb");

    private TestDiscovery() {}

    /** The tests under {@code roots} whose names {@code nameFilter} accepts, in folder order then name order. */
    public static List<ConformanceTest> discover(List<Path> roots, Predicate<String> nameFilter) {
        List<ConformanceTest> found = new ArrayList<>();
        for (Path root : roots) collect(root.toAbsolutePath().normalize(), nameFilter, found, 0);
        return found;
    }

    private static void collect(Path dir, Predicate<String> filter, List<ConformanceTest> found, int depth) {
        if (Files.isRegularFile(dir.resolve("model.onnx"))) {
            String name = dir.getFileName().toString();
            if (filter.test(name)) found.add(folderTest(dir, name));
            return;
        }
        List<Path> children = list(dir);
        List<Path> lightModels = children.stream()
                .filter(p -> Files.isRegularFile(p) && LIGHT_MODEL.matcher(p.getFileName().toString()).matches()).toList();
        for (Path model : lightModels) {
            Matcher m = LIGHT_MODEL.matcher(model.getFileName().toString());
            if (m.matches() && filter.test(m.group(1))) found.add(lightTest(model, m.group(1)));
        }
        if (depth >= MAX_DEPTH) return;
        for (Path child : children) {
            if (Files.isDirectory(child)) collect(child, filter, found, depth + 1);
        }
    }

    private static ConformanceTest folderTest(Path dir, String name) {
        List<ConformanceTest.DataSet> sets = new ArrayList<>();
        for (Path set : list(dir)) {
            if (!Files.isDirectory(set) || !set.getFileName().toString().startsWith("test_data_set_")) continue;
            sets.add(new ConformanceTest.DataSet(set.getFileName().toString(),
                    numbered(set, INPUT, "input_"), numbered(set, OUTPUT, "output_"), false));
        }
        return new ConformanceTest(name, suiteOf(dir.getParent()), dir.resolve("model.onnx"), sets);
    }

    private static ConformanceTest lightTest(Path model, String name) {
        Path dir = model.getParent();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; Files.isRegularFile(dir.resolve(name + "_output_" + i + ".pb")); i++) {
            outputs.add(dir.resolve(name + "_output_" + i + ".pb"));
        }
        return new ConformanceTest(name, suiteOf(dir), model,
                List.of(new ConformanceTest.DataSet("generated", List.of(), outputs, true)));
    }

    /**
     * {@code prefix0.pb} to {@code prefix(n-1).pb} where n is the number of files matching {@code pattern}: the ONNX
     * runner counts the files and then loads them by number, so a gap shows up as a missing file, not a shift.
     */
    private static List<Path> numbered(Path dir, Pattern pattern, String prefix) {
        long count = list(dir).stream().filter(p -> pattern.matcher(p.getFileName().toString()).matches()).count();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) files.add(dir.resolve(prefix + i + ".pb"));
        return files;
    }

    private static String suiteOf(Path dir) {
        return dir == null || dir.getFileName() == null ? "" : dir.getFileName().toString();
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }
}
