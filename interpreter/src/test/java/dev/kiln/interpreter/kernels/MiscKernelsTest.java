package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.OneNode;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MiscKernelsTest {
    private static Tensor scalar(DType t, double v) { return Tensor.ofDoubles(t, new long[] {1}, v); }

    @Test
    void nmsSuppressesOverlapsAboveTheThreshold() {
        Tensor boxes = Tensor.ofDoubles(DType.F32, new long[] {1, 3, 4}, 0, 0, 1, 1, 0, 0.1, 1, 1.1, 0, 5, 1, 6);
        Tensor scores = Tensor.ofDoubles(DType.F32, new long[] {1, 1, 3}, 0.9, 0.95, 0.5);
        Tensor selected = OneNode.op("NonMaxSuppression").opset(11).run(boxes, scores, Tensor.ofLongs(DType.I64, new long[] {1}, 10),
                scalar(DType.F32, 0.5), scalar(DType.F32, 0));
        assertArrayEquals(new long[] {0, 0, 1, 0, 0, 2}, selected.toLongs());
    }

    @Test
    void momentumStepsAgainstTheGradient() {
        Tensor r = Tensor.scalar(DType.F32, 0.1), t = Tensor.ofLongs(DType.I64, new long[0], 0);
        Tensor x = Tensor.ofDoubles(DType.F32, new long[] {1}, 1), g = Tensor.ofDoubles(DType.F32, new long[] {1}, 2);
        Tensor v = Tensor.ofDoubles(DType.F32, new long[] {1}, 0);
        List<RuntimeValue> out = OneNode.op("ai.onnx.preview.training", "Momentum").opset(1).outputs(2)
                .attr("alpha", Attribute.of(0.9f)).attr("beta", Attribute.of(0.5f)).attr("mode", Attribute.of("standard"))
                .attr("norm_coefficient", Attribute.of(0f)).runValues(r, t, x, g, v);
        assertEquals(1 - 0.1 * 2, ((Tensor) out.get(0)).getDouble(0), 1e-6);
        assertEquals(2, ((Tensor) out.get(1)).getDouble(0), 1e-6);
    }

    @Test
    void imageDecoderReadsPngAndPnm() throws IOException {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xFF0000);
        image.setRGB(1, 0, 0x0000FF);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        Tensor bgr = OneNode.op("ImageDecoder").opset(20).attr("pixel_format", Attribute.of("BGR")).run(bytes(png.toByteArray()));
        assertArrayEquals(new long[] {1, 2, 3}, bgr.shape());
        assertArrayEquals(new long[] {0, 0, 255, 255, 0, 0}, bgr.toLongs());

        byte[] header = "P6\n# comment\n1 1\n255\n".getBytes(StandardCharsets.US_ASCII);
        byte[] pnm = java.util.Arrays.copyOf(header, header.length + 3);
        pnm[header.length] = (byte) 200;
        Tensor gray = OneNode.op("ImageDecoder").opset(20).attr("pixel_format", Attribute.of("Grayscale")).run(bytes(pnm));
        assertEquals((200 * 19595 + 0x8000) >> 16, gray.getLong(0));
    }

    @Test
    void undecodableImagesFail() {
        assertThrows(KilnException.class, () -> OneNode.op("ImageDecoder").opset(20).run(bytes(new byte[] {1, 2, 3})));
    }

    private static Tensor bytes(byte[] b) { return Tensor.fromStorage(DType.U8, new long[] {b.length}, ByteBuffer.wrap(b)); }
}
