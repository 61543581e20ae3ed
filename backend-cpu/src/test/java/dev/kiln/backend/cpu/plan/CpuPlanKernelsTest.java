package dev.kiln.backend.cpu.plan;

import dev.kiln.ir.Graph;
import dev.kiln.ir.text.IrParser;
import dev.kiln.runtime.spi.KernelChoice;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernels a plan reports: what --explain prints and the support matrix counts as own or generic. */
class CpuPlanKernelsTest {
    @Test
    void eachNodeSaysWhetherAKernelOfItsOwnOrTheGenericOneRunsIt() {
        Graph graph = IrParser.parse("""
                graph @main(%x: f32[4,8]) -> (%y: f32[4,8], %d: f32[]) {
                  opsets {"": 17}
                  %r: f32[4,8] = Relu(%x) name "relu"
                  %y: f32[4,8] = Softmax(%r) name "softmax"
                  %s: f32[8,8] = Gemm(%y, %y) {transA = 1} name "square"
                  %d: f32[] = Det(%s) name "det"
                }
                """);
        List<KernelChoice> kernels = new CpuPlan(graph, new CpuContext(1, null)).kernels();
        assertEquals(List.of("relu", "softmax", "square", "det"), kernels.stream().map(KernelChoice::node).toList());
        assertEquals(List.of("Relu", "Softmax", "Gemm", "Det"), kernels.stream().map(KernelChoice::op).toList());
        assertFalse(kernels.get(0).generic(), kernels.get(0).kernel());
        assertFalse(kernels.get(1).generic(), kernels.get(1).kernel());
        assertFalse(kernels.get(2).generic(), "a Gemm by a computed matrix packs it per run: " + kernels.get(2).kernel());
        assertTrue(kernels.get(3).generic());
        assertEquals("generic (reference kernel)", kernels.get(3).kernel());
        assertEquals("softmax (vector rows)", kernels.get(1).kernel());
    }
}
