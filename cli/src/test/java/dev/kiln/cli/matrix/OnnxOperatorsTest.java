package dev.kiln.cli.matrix;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxOperatorsTest {
    @Test
    void listsEveryDomainOnceEach() {
        List<String> ops = OnnxOperators.all();
        assertEquals(ops.size(), new HashSet<>(ops).size(), "no duplicates");
        assertTrue(ops.containsAll(List.of("Abs", "Conv", "Loop", "Attention", "TensorScatter", "ai.onnx.ml:TreeEnsembleClassifier",
                "ai.onnx.preview.training:Adam")), ops.toString());
        assertTrue(ops.size() > 200, "size " + ops.size());
        assertEquals("ai.onnx.ml", OnnxOperators.domain("ai.onnx.ml:Binarizer"));
        assertEquals("Binarizer", OnnxOperators.name("ai.onnx.ml:Binarizer"));
        assertEquals("", OnnxOperators.domain("Conv"));
    }
}
