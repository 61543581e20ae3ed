package dev.kiln.interpreter.kernels;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;

/** Reads binary Netpbm images (P5 graymap, P6 pixmap, 8-bit), which javax.imageio does not. */
final class PnmImages {
    private PnmImages() {}

    static boolean isPnm(byte[] b) { return b.length > 2 && b[0] == 'P' && (b[1] == '5' || b[1] == '6'); }

    /** The image, or throws {@link IllegalArgumentException} saying what is wrong with the file. */
    static BufferedImage read(byte[] b) {
        int[] pos = {2};
        int width = header(b, pos), height = header(b, pos), maxValue = header(b, pos);
        pos[0]++; // the single whitespace byte that ends the header
        if (maxValue != 255) throw new IllegalArgumentException("only 8-bit PNM images (maxval 255) are supported, got maxval " + maxValue);
        boolean color = b[1] == '6';
        int bands = color ? 3 : 1;
        if (width < 1 || height < 1 || (long) width * height * bands > b.length - pos[0]) {
            throw new IllegalArgumentException("PNM image of " + width + "x" + height + " is truncated");
        }
        BufferedImage image = new BufferedImage(width, height, color ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        int at = pos[0];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < bands; c++) raster.setSample(x, y, c, b[at++] & 0xFF);
            }
        }
        return image;
    }

    /** The next header number, skipping whitespace and # comments. */
    private static int header(byte[] b, int[] pos) {
        int i = pos[0];
        while (i < b.length && (Character.isWhitespace(b[i]) || b[i] == '#')) {
            if (b[i] == '#') while (i < b.length && b[i] != '\n') i++;
            else i++;
        }
        long value = 0;
        int start = i;
        while (i < b.length && b[i] >= '0' && b[i] <= '9' && value < Integer.MAX_VALUE) value = value * 10 + (b[i++] - '0');
        if (i == start || value > Integer.MAX_VALUE) throw new IllegalArgumentException("bad PNM header");
        pos[0] = i;
        return (int) value;
    }
}
