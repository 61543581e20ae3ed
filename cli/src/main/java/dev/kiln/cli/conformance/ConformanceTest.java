package dev.kiln.cli.conformance;

import java.nio.file.Path;
import java.util.List;

/**
 * One ONNX backend test: a model and its data sets. {@code suite} is the folder it was found in ({@code node},
 * {@code light}, ...).
 */
public record ConformanceTest(String name, String suite, Path model, List<DataSet> dataSets) {
    public ConformanceTest {
        dataSets = List.copyOf(dataSets);
    }

    /**
     * Inputs and expected outputs, by position. {@code generatedInputs} marks the light-model layout, whose inputs
     * are not files but are made from the model's declared input shapes (see {@link LightInputs}).
     */
    public record DataSet(String name, List<Path> inputs, List<Path> expectedOutputs, boolean generatedInputs) {
        public DataSet {
            inputs = List.copyOf(inputs);
            expectedOutputs = List.copyOf(expectedOutputs);
        }
    }
}
