package dev.kiln.bench;

import dev.kiln.bench.energy.EnergyFigure;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** This machine has no powercap: the accounting estimates, says why once, and gives no figure it cannot compute. */
class EnergyAccountingTest {
    private final List<String> notes = new ArrayList<>();
    private final AlternatingRounds.Tally tally = new AlternatingRounds.Tally(new long[] {1_000_000, 1_000_000}, 0, Double.NaN, 0.002);

    @Test
    void withoutAMeterTheFigureIsTheEstimateAndTheReasonIsSaidOnce() {
        Graph relu = IrParser.parse("""
                graph @g(%x: f32[batch,1000]) -> (%y: f32[batch,1000]) {
                  opsets {"": 17}
                  %y: f32[batch,1000] = Relu(%x) name "r"
                }
                """);
        EnergyAccounting accounting = new EnergyAccounting(notes::add);
        EnergyAccounting.Source source = accounting.open("ref");
        accounting.open("ref");
        assumeTrue(source.meter() == null, "this machine has an energy meter: it measures instead of estimating");
        EnergyFigure figure = source.figure(tally, relu, Map.of("x", Tensor.zeros(DType.F32, 4, 1000)), 1e-3);
        assertEquals("estimate", figure.source());
        assertTrue(figure.joulesPerInference() > 0);
        assertEquals(1, notes.size(), notes.toString());
    }

    @Test
    void aGraphWhoseSizesDependOnValuesGetsNoFigureAndANote() {
        Graph values = IrParser.parse("""
                graph @g(%s: i64[2]) -> (%y: f32[?,?]) {
                  opsets {"": 17}
                  %y: f32[?,?] = ConstantOfShape(%s) name "c"
                }
                """);
        EnergyAccounting.Source source = new EnergyAccounting(notes::add).open("ref");
        assumeTrue(source.meter() == null, "this machine has an energy meter: it measures instead of estimating");
        assertNull(source.figure(tally, values, Map.of("s", Tensor.ofLongs(DType.I64, new long[] {2}, 3, 4)), 1e-3));
        assertTrue(notes.getLast().endsWith("so no energy figure"), notes.toString());
    }
}
