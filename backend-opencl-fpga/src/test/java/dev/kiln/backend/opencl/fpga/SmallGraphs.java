package dev.kiln.backend.opencl.fpga;

import dev.kiln.ir.Graph;
import dev.kiln.ir.text.IrParser;

import java.util.ArrayList;
import java.util.List;

/** Small graphs in Kiln's IR text for the estimator's unit tests. */
final class SmallGraphs {
    private SmallGraphs() {}

    /** {@code %x: f32[xShape]} through Conv with weights {@code w: f32[wShape]} and the given attributes. */
    static Graph conv(String xShape, long[] wShape, String attributes) {
        return IrParser.parse("graph @g(%x: f32" + xShape + ") -> (%y: f32[*]) {\n  opsets {\"\": 17}\n"
                + constant("w", wShape) + "  %y: f32[*] = Conv(%x, %w) " + attributes + " name \"conv\"\n}\n");
    }

    /** {@code layers} 3x3 convolutions of 16 channels one after another on {@code %x: f32[1,16,16,16]}. */
    static Graph convChain(int layers) {
        StringBuilder b = new StringBuilder("graph @g(%x: f32[1,16,16,16]) -> (%y" + layers + ": f32[*]) {\n  opsets {\"\": 17}\n");
        for (int i = 1; i <= layers; i++) b.append(constant("w" + i, 16, 16, 3, 3));
        String in = "%x";
        for (int i = 1; i <= layers; i++) {
            b.append("  %y").append(i).append(": f32[*] = Conv(").append(in).append(", %w").append(i)
                    .append(") {pads = [1, 1, 1, 1]} name \"conv").append(i).append("\"\n");
            in = "%y" + i;
        }
        return IrParser.parse(b.append("}\n").toString());
    }

    private static String constant(String name, long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        List<String> values = new ArrayList<>();
        for (long i = 0; i < n; i++) values.add(Float.toString((i % 7) / 7f));
        StringBuilder dims = new StringBuilder();
        for (long d : shape) dims.append(dims.isEmpty() ? "" : ",").append(d);
        return "  const %" + name + ": f32[" + dims + "] = dense<[" + String.join(", ", values) + "]>\n";
    }
}
