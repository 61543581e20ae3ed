package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * ImageDecoder through javax.imageio (JPEG, PNG, BMP, GIF, TIFF, WBMP) and {@link PnmImages} (not JPEG 2000 or WebP) into
 * [H, W, 3] RGB or BGR, or [H, W, 1] Grayscale using the ITU-R 601 luma weights in the fixed-point form Pillow
 * uses, so results match the ONNX reference for the same decoded pixels.
 */
final class ImageDecoderKernel {
    private ImageDecoderKernel() {}

    static List<RuntimeValue> run(KernelContext ctx) {
        Tensor encoded = ctx.input(0);
        if (encoded.dtype() != DType.U8 || encoded.rank() != 1) throw ctx.fail("encoded_stream must be a 1D uint8 tensor");
        byte[] bytes = new byte[encoded.size()];
        encoded.data().get(bytes);
        BufferedImage image;
        try {
            image = PnmImages.isPnm(bytes) ? PnmImages.read(bytes) : ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw ctx.fail("cannot decode the image: " + e.getMessage());
        }
        if (image == null) throw ctx.fail("unsupported image format (readable: JPEG, PNG, BMP, GIF, TIFF, WBMP, binary PNM)");
        String format = ctx.stringAttr("pixel_format", "RGB");
        int h = image.getHeight(), w = image.getWidth();
        Raster raster = image.getRaster();
        // Single-band images are read raw: BufferedImage.getRGB would apply a gray-to-sRGB curve.
        boolean gray = raster.getNumBands() == 1 && image.getColorModel().getNumComponents() == 1;
        int channels = format.equals("Grayscale") ? 1 : 3;
        byte[] out = new byte[h * w * channels];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r, g, b;
                if (gray) {
                    r = g = b = raster.getSample(x, y, 0) & 0xFF;
                } else {
                    int rgb = image.getRGB(x, y);
                    r = (rgb >> 16) & 0xFF;
                    g = (rgb >> 8) & 0xFF;
                    b = rgb & 0xFF;
                }
                int at = (y * w + x) * channels;
                switch (format) {
                    case "RGB" -> { out[at] = (byte) r; out[at + 1] = (byte) g; out[at + 2] = (byte) b; }
                    case "BGR" -> { out[at] = (byte) b; out[at + 1] = (byte) g; out[at + 2] = (byte) r; }
                    case "Grayscale" -> out[at] = (byte) (gray ? r : (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
                    default -> throw ctx.fail("unknown pixel_format '" + format + "'");
                }
            }
        }
        return List.of(Tensor.fromStorage(DType.U8, new long[] {h, w, channels}, ByteBuffer.wrap(out)));
    }
}
