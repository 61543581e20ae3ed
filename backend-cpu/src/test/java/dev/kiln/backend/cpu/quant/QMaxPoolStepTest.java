package dev.kiln.backend.cpu.quant;

import dev.kiln.ir.Graph;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

/** int8 and uint8 MaxPool against the reference interpreter at the smallest and the largest species, rows wider than a vector included. */
class QMaxPoolStepTest {
    @Test
    void maxPoolOnBytesMatchesTheInterpreter() {
        SplittableRandom r = new SplittableRandom(41);
        String[] attrs = {"kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [2, 2]", "kernel_shape = [2, 3], pads = [0, 2, 1, 0]",
                "kernel_shape = [2, 2], strides = [2, 2], auto_pad = \"VALID\""};
        for (String t : new String[] {"i8", "u8"}) {
            for (String a : attrs) {
                Graph graph = IrParser.parse("""
                        graph @main(%x: T[batch,3,?,?]) -> (%y: T[batch,3,?,?]) {
                          opsets {"": 13}
                          %y: T[batch,3,?,?] = MaxPool(%x) {ATTRS} name "pool"
                        }
                        """.replace("T[", t + "[").replace("ATTRS", a));
                InterpreterCheck.check(graph, "int8 max pooling", new int[] {1},
                        Map.of("x", InterpreterCheck.image(r, t, 2, 3, 11, 77)), Map.of("x", InterpreterCheck.image(r, t, 1, 3, 5, 6)));
            }
        }
    }
}
