package dev.kiln.bench.report;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Opens the report in headless Chromium: the browser must build the charts from it and paint them. */
class HtmlReportInChromiumTest {
    /** The Pareto frontier's colour, from report.css ({@code .frontier} and {@code .halo} stroke #2f9e44). */
    private static final int[] FRONTIER_RGB = {0x2f, 0x9e, 0x44};

    @TempDir
    Path dir;
    private Path page;

    @BeforeEach
    void writeReport() throws Exception {
        HeadlessChromium.assumeInstalled();
        page = dir.resolve("report.html");
        Files.writeString(page, HtmlReport.render("Kiln benchmark: mobilenet_v2", SampleRuns.sweep(), SampleRuns.MACHINE,
                SampleRuns.MEASURED));
    }

    @Test
    void theBrowsersDomHasTheParetoChartWithItsPointsAndFrontier() throws Exception {
        String dom = new HeadlessChromium(dir).dumpDom(page);
        assertTrue(dom.contains("id=\"" + LatencyChart.ID + "\""), "latency chart in the DOM");
        int start = dom.indexOf("<svg id=\"" + ParetoChart.ID + "\"");
        assertTrue(start >= 0, "pareto chart in the DOM:\n" + dom);
        String pareto = dom.substring(start, dom.indexOf("</svg>", start));

        assertEquals(SampleRuns.WITH_ENERGY, count(Pattern.compile("<circle class=\"point "), pareto), "one circle per result with energy");
        Matcher frontier = Pattern.compile("<polyline class=\"frontier\" points=\"([^\"]+)\"").matcher(pareto);
        assertTrue(frontier.find(), "frontier polyline in the DOM");
        assertEquals(SampleRuns.FRONTIER.size(), frontier.group(1).trim().split("\\s+").length, "frontier points");
    }

    @Test
    void theScreenshotShowsTheChart() throws Exception {
        Path png = dir.resolve("report.png");
        new HeadlessChromium(dir).screenshot(page, png, 1280, 2000);
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "the screenshot decodes as an image");
        assertEquals(1280, image.getWidth());
        assertEquals(2000, image.getHeight());

        int frontierPixels = 0;
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (near(rgb, FRONTIER_RGB)) frontierPixels++;
            }
        }
        assertTrue(colours.size() > 100, "the page is not blank: " + colours.size() + " colours");
        // The frontier line (about 700 px long, 3 px wide) and five rings paint thousands of pixels in its colour.
        assertTrue(frontierPixels > 1000, "the Pareto frontier is painted: " + frontierPixels + " pixels of its colour");
    }

    private static int count(Pattern pattern, String text) {
        return (int) pattern.matcher(text).results().count();
    }

    private static boolean near(int rgb, int[] target) {
        return Math.abs((rgb >> 16 & 0xff) - target[0]) <= 12 && Math.abs((rgb >> 8 & 0xff) - target[1]) <= 12
                && Math.abs((rgb & 0xff) - target[2]) <= 12;
    }
}
