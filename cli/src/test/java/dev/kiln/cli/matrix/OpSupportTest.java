package dev.kiln.cli.matrix;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpSupportTest {
    @Test
    void implementedOpsHaveNoMissingNote() {
        assertNull(OpSupport.missing("Conv"));
        assertNull(OpSupport.missing("ai.onnx.ml:TreeEnsembleClassifier"));
    }

    @Test
    void opsLeftOutOnPurposeSayWhy() {
        assertEquals("not implemented: needs map types (output sequence of maps), which the IR does not have yet",
                OpSupport.missing("ai.onnx.ml:ZipMap"));
        assertTrue(OpSupport.missing("ai.onnx.ml:DictVectorizer").startsWith("not implemented: needs map types"));
    }

    @Test
    void everyReasonNamesAnOnnxOperatorThatIsStillMissing() {
        List<String> operators = OnnxOperators.all();
        Map<String, String> reasons = OpSupport.reasons();
        assertTrue(reasons.containsKey("ai.onnx.ml:CastMap"), reasons.toString());
        reasons.forEach((op, reason) -> {
            assertTrue(operators.contains(op), op + " is not an ONNX operator");
            assertEquals("not implemented: " + reason, OpSupport.missing(op), op + " is implemented now: drop its reason");
        });
    }

    @Test
    void reasonLinesNeedAReasonAndAreUnique() {
        assertEquals(Map.of("A", "two words"), OpSupport.parseReasons(List.of("A   two words")));
        assertThrows(IllegalStateException.class, () -> OpSupport.parseReasons(List.of("A")));
        assertThrows(IllegalStateException.class, () -> OpSupport.parseReasons(List.of("A x", "A y")));
    }
}
