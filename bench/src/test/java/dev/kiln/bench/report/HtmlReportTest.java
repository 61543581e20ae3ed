package dev.kiln.bench.report;

import dev.kiln.bench.BenchRun;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportTest {
    private static String sweepPage() {
        return HtmlReport.render("Kiln benchmark: mobilenet_v2", SampleRuns.sweep(), SampleRuns.MACHINE, SampleRuns.MEASURED);
    }

    @Test
    void isSelfContained() {
        String page = sweepPage();
        assertFalse(page.contains("<script"), "no script");
        assertFalse(page.contains("<link"), "no linked stylesheet");
        assertFalse(page.contains("src="), "no external images");
        assertFalse(page.contains("@import") || page.contains("url("), "no external CSS");
    }

    @Test
    void hasBothChartsWithOneCirclePerResultWithEnergy() throws Exception {
        ReportXml xml = new ReportXml(sweepPage());
        assertNotNull(xml.byId(LatencyChart.ID), "latency chart");
        Element pareto = xml.byId(ParetoChart.ID);
        assertNotNull(pareto, "pareto chart");
        List<Element> points = ReportXml.withClass(pareto, "circle", "point");
        assertEquals(SampleRuns.WITH_ENERGY, points.size());
        for (Element point : points) assertFalse(ReportXml.title(point).isBlank(), "every point has a tooltip");
        assertTrue(points.stream().anyMatch(p -> ReportXml.title(p).startsWith("kiln · ref fp32 1t b1:")
                && p.getAttribute("class").contains("estimate")), "the estimated point is marked as an estimate");
        assertTrue(pareto.getTextContent().contains("energy estimated"), "the legend names estimated energy");
    }

    @Test
    void theFrontierPolylineJoinsTheFrontierPointsByLatency() throws Exception {
        Element pareto = new ReportXml(sweepPage()).byId(ParetoChart.ID);
        List<Element> onFrontier = ReportXml.withClass(pareto, "circle", "on-frontier");
        assertEquals(SampleRuns.FRONTIER, onFrontier.stream().map(p -> ReportXml.title(p).substring(0, ReportXml.title(p).indexOf(':'))).toList());

        List<Element> polylines = ReportXml.withClass(pareto, "polyline", "frontier");
        assertEquals(1, polylines.size());
        String[] points = polylines.getFirst().getAttribute("points").split(" ");
        assertEquals(SampleRuns.FRONTIER.size(), points.length);
        for (int i = 0; i < points.length; i++) {
            String[] xy = points[i].split(",");
            assertEquals(onFrontier.get(i).getAttribute("cx"), xy[0], "point " + i);
            assertEquals(onFrontier.get(i).getAttribute("cy"), xy[1], "point " + i);
            if (i > 0) {
                String[] previous = points[i - 1].split(",");
                assertTrue(Double.parseDouble(xy[0]) > Double.parseDouble(previous[0]), "latency rises along the frontier");
                assertTrue(Double.parseDouble(xy[1]) > Double.parseDouble(previous[1]), "energy falls (y grows downward)");
            }
        }
    }

    @Test
    void saysWhichResultsHaveNoEnergy() {
        String page = sweepPage();
        assertTrue(page.contains("Not plotted, no energy figure: onnxruntime · ref fp32 1t b1; kiln · fpga int8 1t b1."), page);
    }

    @Test
    void latencyChartHasAMarkerPerPercentilePerResult() throws Exception {
        Element latency = new ReportXml(sweepPage()).byId(LatencyChart.ID);
        List<Element> rows = ReportXml.withClass(latency, "g", "row");
        assertEquals(10, rows.size(), "six Kiln results and four baselines");
        for (Element row : rows) {
            assertEquals(4, row.getElementsByTagName("title").getLength(), "p50, p90, p99, p99.9");
        }
    }

    @Test
    void tablesListEveryFigureAndTheRatios() {
        String page = sweepPage();
        for (String header : List.of("p99.9", "inferences/s", "compile (ms)", "first inference (µs)", "alloc/inference", "arena",
                "peak RSS", "energy/inference", "average power", "energy × delay", "max deviation", "p50 ratio", "p99 ratio")) {
            assertTrue(page.contains(">" + header + "</th>"), header);
        }
        assertTrue(page.contains(">0.84×</td>"), "kiln cpu fp32 p50 ratio 800/950");
        assertFalse(page.contains(">accuracy</th>"), "no result has an accuracy, so no column");
        assertTrue(page.contains("AMD EPYC 7B13") && page.contains("Eclipse Adoptium OpenJDK"), "machine details");
        assertTrue(page.contains("2026-11-22 21:30 UTC"));
    }

    @Test
    void escapesEveryStringFromTheResults() throws Exception {
        String hostile = "<b>m&m's \"model\"</b>";
        BenchRun run = BenchRun.alone(SampleRuns.result("kiln", "cpu<1>", "fp32", 1, 1, 500, 0.002, "rapl&co"));
        BenchRun renamed = BenchRun.alone(new dev.kiln.bench.BenchResult(run.kiln().runtime(), hostile, run.kiln().device(),
                1, 1, "fp32", "O2", run.kiln().latency(), 1, 1, 1, 1, 1, 1, 1, 1, run.kiln().energy(), 0.5, null));
        String page = HtmlReport.render(hostile, List.of(renamed), SampleRuns.MACHINE, SampleRuns.MEASURED);
        ReportXml xml = new ReportXml(page); // throws if anything broke the markup
        assertEquals(hostile, xml.document.getElementsByTagName("h1").item(0).getTextContent());
        assertFalse(page.contains("<b>"));
        assertTrue(xml.document.getDocumentElement().getTextContent().contains("rapl&co"));
    }

    @Test
    void anUnusableEnergyFigureIsLeftOutLikeAMissingOne() throws Exception {
        BenchRun nan = BenchRun.alone(SampleRuns.result("kiln", "cpu", "fp32", 1, 1, 500, Double.NaN, "rapl"));
        BenchRun good = BenchRun.alone(SampleRuns.result("kiln", "cpu", "int8", 1, 1, 400, 0.001, "rapl"));
        String page = HtmlReport.render("t", List.of(nan, good), SampleRuns.MACHINE, SampleRuns.MEASURED);
        assertEquals(1, ReportXml.withClass(new ReportXml(page).byId(ParetoChart.ID), "circle", "point").size());
        assertTrue(page.contains("Not plotted, no energy figure: kiln · cpu fp32 1t b1."));
    }

    @Test
    void withoutAnyEnergyTheParetoChartSaysSo() throws Exception {
        List<BenchRun> runs = List.of(BenchRun.alone(SampleRuns.result("kiln", "cpu", "fp32", 1, 1, 500, null, null)));
        ReportXml xml = new ReportXml(HtmlReport.render("t", runs, SampleRuns.MACHINE, SampleRuns.MEASURED));
        Element pareto = xml.byId(ParetoChart.ID);
        assertEquals(0, ReportXml.withClass(pareto, "circle", "point").size());
        assertTrue(pareto.getTextContent().contains("No result has an energy figure"));
    }
}
