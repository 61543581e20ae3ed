package dev.kiln.backend.cpu.plan;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;

/** What kernel families read off a node when binding: attributes with their schema defaults, and value types. */
public final class NodeAttributes {
    private NodeAttributes() {}

    public static long intAttr(Node n, String name, long fallback) {
        Attribute a = n.attribute(name);
        return a == null ? fallback : a.asInt();
    }

    public static float floatAttr(Node n, String name, float fallback) {
        Attribute a = n.attribute(name);
        return a == null ? fallback : a.asFloat();
    }

    public static String stringAttr(Node n, String name, String fallback) {
        Attribute a = n.attribute(name);
        return a == null ? fallback : a.asString();
    }

    public static long[] ints(Node n, String name, long[] fallback) {
        Attribute a = n.attribute(name);
        return a == null ? fallback : a.asInts();
    }

    /** Whether {@code v} is present and a float32 tensor. */
    public static boolean isF32(Value v) {
        return !v.isAbsent() && v.type() instanceof TensorType t && t.dtype() == DType.F32;
    }
}
