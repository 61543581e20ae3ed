package dev.kiln.cli.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestDiscoveryTest {
    @TempDir
    Path root;

    private void touch(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[0]);
    }

    private void nodeTest(String name, int inputs, int sets) throws IOException {
        Path dir = root.resolve("node").resolve(name);
        touch(dir.resolve("model.onnx"));
        for (int s = 0; s < sets; s++) {
            for (int i = 0; i < inputs; i++) touch(dir.resolve("test_data_set_" + s).resolve("input_" + i + ".pb"));
            touch(dir.resolve("test_data_set_" + s).resolve("output_0.pb"));
        }
    }

    @Test
    void findsFolderTestsWithTheirDataSets() throws IOException {
        nodeTest("test_add", 2, 1);
        nodeTest("test_abs", 1, 2);
        List<ConformanceTest> tests = TestDiscovery.discover(List.of(root.resolve("node")), n -> true);
        assertEquals(List.of("test_abs", "test_add"), tests.stream().map(ConformanceTest::name).toList());
        ConformanceTest add = tests.get(1);
        assertEquals("node", add.suite());
        assertEquals(1, add.dataSets().size());
        assertEquals(List.of("input_0.pb", "input_1.pb"), add.dataSets().getFirst().inputs().stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(2, tests.getFirst().dataSets().size());
    }

    @Test
    void aTestFolderItselfAndARootOfSuitesWork() throws IOException {
        nodeTest("test_abs", 1, 1);
        assertEquals(1, TestDiscovery.discover(List.of(root.resolve("node/test_abs")), n -> true).size());
        assertEquals(1, TestDiscovery.discover(List.of(root), n -> true).size());
    }

    @Test
    void findsLightModelsWithTheirExpectedOutputs() throws IOException {
        touch(root.resolve("light/light_resnet50.onnx"));
        touch(root.resolve("light/light_resnet50_output_0.pb"));
        touch(root.resolve("light/README.md"));
        List<ConformanceTest> tests = TestDiscovery.discover(List.of(root.resolve("light")), n -> true);
        assertEquals(1, tests.size());
        ConformanceTest t = tests.getFirst();
        assertEquals("light_resnet50", t.name());
        assertEquals("light", t.suite());
        assertTrue(t.dataSets().getFirst().generatedInputs());
        assertEquals(List.of(root.resolve("light/light_resnet50_output_0.pb")), t.dataSets().getFirst().expectedOutputs());
    }

    @Test
    void theFilterSearchesTestNames() throws IOException {
        nodeTest("test_abs", 1, 1);
        nodeTest("test_add", 2, 1);
        nodeTest("test_add_bcast", 2, 1);
        Pattern p = Pattern.compile("test_(abs|add)$");
        List<ConformanceTest> tests = TestDiscovery.discover(List.of(root), n -> p.matcher(n).find());
        assertEquals(List.of("test_abs", "test_add"), tests.stream().map(ConformanceTest::name).toList());
    }
}
