package dev.kiln.bench.jmh;

import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each kernel benchmark's backend op (on the reference backend, the oracle) and its scalar baseline compute the same
 * result from the benchmark's own setup, at the benchmark's shape or a smaller one. Never timed.
 */
class KernelBaselinesTest {

    /** The reference backend's output of the op that {@code setup} compiles into {@code compiled}; then closes it. */
    private static float[] ref(CompiledOp compiled, Runnable setup) {
        compiled.device = "ref";
        compiled.threads = 1;
        setup.run();
        try {
            return compiled.run().values().iterator().next().toFloats();
        } finally {
            compiled.close();
        }
    }

    /** Equal within {@code tolerance} relative to the largest magnitude in {@code expected}. */
    private static void assertClose(float[] expected, float[] actual, double tolerance) {
        assertEquals(expected.length, actual.length, "element count");
        double scale = 0;
        for (float e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) {
            int at = i;
            assertEquals(expected[i], actual[i], tolerance * Math.max(scale, 1), () -> "element " + at);
        }
    }

    @Test
    void gemmBaselineMatchesTheBackend() {
        GemmBench.Shape s = new GemmBench.Shape();
        s.size = 64;
        s.setup();
        GemmBench.Compiled k = new GemmBench.Compiled();
        float[] backend = ref(k, () -> k.setup(s));
        GemmBench.multiply(s.a, s.b, s.y, s.size, s.size, s.size);
        assertClose(s.y, backend, 1e-5);
    }

    @Test
    void convAndDepthwiseBaselinesMatchTheBackend() {
        ConvBench.Shape dense = new ConvBench.Shape();
        dense.channels = 8;
        dense.spatial = 10;
        dense.setup();
        ConvBench.Compiled k = new ConvBench.Compiled();
        float[] backend = ref(k, () -> k.setup(dense));
        ConvBench.convolve3x3(dense.x, dense.w, dense.y, dense.channels, dense.channels, dense.spatial, 1);
        assertClose(dense.y, backend, 1e-5);

        for (String layer : new String[] {"16:14:1", "16:14:2", "8:7:1"}) {
            DepthwiseConvBench.Shape dw = new DepthwiseConvBench.Shape();
            dw.layer = layer;
            dw.setup();
            DepthwiseConvBench.Compiled kd = new DepthwiseConvBench.Compiled();
            float[] depthwise = ref(kd, () -> kd.setup(dw));
            DepthwiseConvBench.convolve(dw);
            assertClose(dw.y, depthwise, 1e-6);
        }
    }

    @Test
    void elementwiseAndSoftmaxBaselinesMatchTheBackend() {
        ElementwiseBench.Shape e = new ElementwiseBench.Shape();
        e.elements = 1000;
        e.setup();
        ElementwiseBench.Compiled ke = new ElementwiseBench.Compiled();
        float[] fused = ref(ke, () -> ke.setup(e));
        ElementwiseBench.addRelu(e.a, e.b, e.y);
        assertClose(e.y, fused, 0);
        assertTrue(min(e.y) == 0 && max(e.y) > 0, "the inputs exercise both sides of the Relu");

        SoftmaxBench.Shape s = new SoftmaxBench.Shape();
        s.rows = 256;
        s.cols = 1000;
        s.setup();
        SoftmaxBench.Compiled ks = new SoftmaxBench.Compiled();
        float[] softmax = ref(ks, () -> ks.setup(s));
        SoftmaxBench.softmaxRows(s.x, s.y, s.rows, s.cols);
        assertClose(s.y, softmax, 1e-5);
        double firstRow = 0;
        for (int c = 0; c < s.cols; c++) firstRow += s.y[c];
        assertEquals(1, firstRow, 1e-4, "a softmax row sums to 1");
    }

    @Test
    void anAbsentDeviceFailsNamingTheBenchmarkAndTheDevice() {
        GemmBench.Shape s = new GemmBench.Shape();
        s.size = 4;
        s.setup();
        GemmBench.Compiled k = new GemmBench.Compiled();
        k.device = "no-such-device";
        k.threads = 1;
        KilnException e = assertThrows(KilnException.class, () -> k.setup(s));
        assertTrue(e.getMessage().startsWith("GemmBench size=4 on device 'no-such-device': unknown device"), e.getMessage());
    }

    private static float min(float[] v) {
        float m = Float.POSITIVE_INFINITY;
        for (float x : v) m = Math.min(m, x);
        return m;
    }

    private static float max(float[] v) {
        float m = Float.NEGATIVE_INFINITY;
        for (float x : v) m = Math.max(m, x);
        return m;
    }
}
