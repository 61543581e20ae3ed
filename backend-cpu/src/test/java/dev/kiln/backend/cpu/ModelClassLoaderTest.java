package dev.kiln.backend.cpu;

import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.IrParser;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.spi.CompiledKernel;
import dev.kiln.runtime.spi.Executable;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Each compiled model runs on a copy of the backend's classes of its own, so the JIT's profiles of one model's
 * kernels are not another's; a generated kernel is still compiled by javac once and shared as class files.
 */
class ModelClassLoaderTest {
    private static final Graph GRAPH = IrParser.parse("""
            graph @main(%x: f32[2,37]) -> (%y: f32[2,37]) {
              opsets {"": 17}
              %t: f32[2,37] = Tanh(%x) name "tanh"
              %y: f32[2,37] = Mul(%t, %x) name "mul"
            }
            """);

    @Test
    void twoModelsGetTheirOwnClassesAndShareTheCompiledKernels() {
        CpuBackend backend = new CpuBackend();
        Executable first = backend.compile(GRAPH, new CompileOptions("cpu", 1));
        Executable second = backend.compile(GRAPH, new CompileOptions("cpu", 1));

        assertEquals(CpuExecutable.class.getName(), first.getClass().getName());
        assertNotSame(first.getClass(), second.getClass());
        assertNotSame(first.getClass().getClassLoader(), second.getClass().getClassLoader());
        assertFalse(first.getClass().getClassLoader() == CpuBackend.class.getClassLoader(), "compiled in the backend's own loader");
        assertSame(Executable.class, first.getClass().getInterfaces()[0], "the SPI itself is shared");

        List<CompiledKernel> kernels = first.compiledKernels();
        assertEquals(2, kernels.size(), "a generated elementwise kernel per node");
        for (int k = 0; k < kernels.size(); k++) assertSame(kernels.get(k), second.compiledKernels().get(k), "javac ran once for both models");

        Tensor x = Tensor.zeros(DType.F32, 2, 37);
        for (int i = 0; i < x.size(); i++) x.setDouble(i, (i - 37) / 9.0);
        Tensor a, b;
        try (Executable.Runner r1 = first.newRunner(); Executable.Runner r2 = second.newRunner()) {
            a = (Tensor) r1.run(Map.<String, RuntimeValue>of("x", x)).get("y");
            b = (Tensor) r2.run(Map.<String, RuntimeValue>of("x", x)).get("y");
        }
        for (int i = 0; i < x.size(); i++) {
            assertEquals(Math.tanh(x.getDouble(i)) * x.getDouble(i), a.getDouble(i), 1e-6, "y[" + i + "]");
            assertEquals(a.getDouble(i), b.getDouble(i), 0.0, "y[" + i + "]");
        }
    }
}
