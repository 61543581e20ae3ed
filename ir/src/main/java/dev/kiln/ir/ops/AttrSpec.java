package dev.kiln.ir.ops;

import dev.kiln.ir.Attribute;

/** An attribute an op declares: its kind and its default ({@code null} when required or when absence means something). */
public record AttrSpec(String name, Attribute.Kind kind, Attribute defaultValue, boolean required) {
    public static AttrSpec required(String name, Attribute.Kind kind) { return new AttrSpec(name, kind, null, true); }

    public static AttrSpec optional(String name, Attribute.Kind kind) { return new AttrSpec(name, kind, null, false); }

    public static AttrSpec withDefault(String name, Attribute defaultValue) {
        return new AttrSpec(name, defaultValue.kind(), defaultValue, false);
    }
}
