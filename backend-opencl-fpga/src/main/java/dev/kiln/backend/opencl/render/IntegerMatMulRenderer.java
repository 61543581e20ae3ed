package dev.kiln.backend.opencl.render;

import dev.kiln.ir.DType;

/**
 * QLinearMatMul and MatMulInteger with numpy batching (as {@link MatMulRenderer}): products of zero-point-corrected
 * 8-bit operands accumulated in an {@code int} over the unrolled K loop. MatMulInteger stores the int32 sum;
 * QLinearMatMul requantizes it — multiply by {@code a_scale * b_scale / y_scale} in float32, round half to even,
 * add {@code y_zero_point}, saturate. Scales and zero points are per tensor.
 */
final class IntegerMatMulRenderer {
    private IntegerMatMulRenderer() {}

    static KernelSource render(Layer layer, RenderOptions options) {
        boolean qlinear = layer.node().op().equals("QLinearMatMul");
        int a = 0;
        int b = qlinear ? 3 : 1;
        int aZero = 2;
        int bZero = qlinear ? 5 : 3;
        MatMulRenderer.Batched s = MatMulRenderer.Batched.of(layer.in(a), layer.in(b));
        int unroll = options.unroll(layer.node().name(), s.k());

        layer.input(a, "a");
        if (qlinear) layer.input(1, "a_scale");
        if (IntegerConvRenderer.present(layer, aZero)) layer.input(aZero, "a_zero_point");
        layer.input(b, "b");
        if (qlinear) layer.input(4, "b_scale");
        if (IntegerConvRenderer.present(layer, bZero)) layer.input(bZero, "b_zero_point");
        if (qlinear) layer.input(6, "y_scale");
        boolean yZero = qlinear && IntegerConvRenderer.present(layer, 7);
        if (yZero) layer.input(7, "y_zero_point");
        layer.output("y");
        CWriter c = layer.begin();
        c.line("const int az = " + (IntegerConvRenderer.present(layer, aZero) ? "a_zero_point[0]" : "0") + ";");
        c.line("const int bz = " + (IntegerConvRenderer.present(layer, bZero) ? "b_zero_point[0]" : "0") + ";");
        if (qlinear) c.line("const float multiplier = (a_scale[0] * b_scale[0]) / y_scale[0];");
        s.open(c);
        c.line("int acc = 0;");
        c.loop("p", s.k(), unroll).line("acc += (a[a0 + i * " + s.k() + " + p] - az) * (b[b0 + p * " + s.n() + " + j] - bz);").close();
        DType out = layer.node().output(0).tensorType().dtype();
        String value = qlinear ? CTypes.saturate(out, "rint((float) acc * multiplier)", yZero ? "y_zero_point[0]" : "0") : "acc";
        c.line("y[y0 + i * " + s.n() + " + j] = " + value + ";");
        c.close(s.depth());
        return layer.finish(c, "single-work-item " + (qlinear ? "quantized matmul to " + out.shortName() : "integer matmul to i32")
                + " " + s.shape() + ", int multiply-add, unroll " + unroll);
    }
}
