package dev.kiln.backend.cpu.quant;

import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import static dev.kiln.backend.cpu.plan.NodeAttributes.intAttr;
import static dev.kiln.backend.cpu.plan.NodeAttributes.ints;

/**
 * Binds MaxPool on int8/uint8 (what {@code lower-qdq} leaves of DQ→MaxPool→Q) to {@link QMaxPoolStep}: 2-D, floor
 * mode, no dilation, explicit pads (or VALID) smaller than the kernel so that every window holds an input value, no
 * Indices output; null otherwise (float MaxPool is the pool family's).
 */
final class QMaxPoolBinding {
    private QMaxPoolBinding() {}

    static Step bind(Node node, Slots slots, VectorSpecies<Float> species) {
        DType type = QuantConstants.dtype(node.input(0));
        if (type == null || !QuantConstants.isByte(type) || QuantConstants.dtype(node.output(0)) != type) return null;
        if (node.outputs().size() > 1 && !node.output(1).isAbsent()) return null;
        Attribute autoPad = node.attribute("auto_pad");
        if (autoPad != null && !autoPad.asString().equals("NOTSET") && !autoPad.asString().equals("VALID")) return null;
        if (intAttr(node, "ceil_mode", 0) != 0 || intAttr(node, "storage_order", 0) != 0) return null;
        long[] k = ints(node, "kernel_shape", null);
        long[] s = ints(node, "strides", new long[] {1, 1});
        long[] p = ints(node, "pads", new long[] {0, 0, 0, 0});
        long[] d = ints(node, "dilations", new long[] {1, 1});
        if (k == null || k.length != 2 || s.length != 2 || p.length != 4 || d.length != 2) return null;
        if (d[0] != 1 || d[1] != 1 || p[0] >= k[0] || p[2] >= k[0] || p[1] >= k[1] || p[3] >= k[1]) return null;
        var window = new QMaxPoolStep.Window((int) k[0], (int) k[1], (int) s[0], (int) s[1], (int) p[0], (int) p[1], (int) p[2], (int) p[3],
                (int) d[0], (int) d[1]);
        VectorSpecies<Byte> bytes = VectorSpecies.of(byte.class, VectorShape.forBitSize(species.vectorBitSize()));
        return new QMaxPoolStep(node, slots.of(node.input(0)), slots.of(node.output(0)), type, window, bytes);
    }
}
