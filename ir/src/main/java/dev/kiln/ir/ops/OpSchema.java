package dev.kiln.ir.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the IR knows about one op: its domain and name, the opset versions it is defined for, how many inputs and
 * outputs it takes (trailing ones may be optional; {@code Integer.MAX_VALUE} for variadic), its attributes with
 * defaults, and its type and shape inference.
 */
public record OpSchema(String domain, String name, int sinceVersion, int minInputs, int maxInputs,
                       int minOutputs, int maxOutputs, Map<String, AttrSpec> attributes, TypeInference inference) {
    public OpSchema {
        attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public String qualifiedName() { return domain.isEmpty() ? name : domain + ":" + name; }

    /** Starts a schema for an op of the default ONNX domain. */
    public static Builder op(String name) { return new Builder("", name); }

    /** Starts a schema for an op of another domain, e.g. {@code ai.onnx.ml}. */
    public static Builder op(String domain, String name) { return new Builder(domain, name); }

    public static final class Builder {
        private final String domain;
        private final String name;
        private int since = 1;
        private int minIn = 0;
        private int maxIn = 0;
        private int minOut = 1;
        private int maxOut = 1;
        private final Map<String, AttrSpec> attrs = new LinkedHashMap<>();

        private Builder(String domain, String name) {
            this.domain = domain;
            this.name = name;
        }

        public Builder since(int version) { since = version; return this; }

        public Builder inputs(int min, int max) { minIn = min; maxIn = max; return this; }

        public Builder inputs(int exactly) { return inputs(exactly, exactly); }

        public Builder outputs(int min, int max) { minOut = min; maxOut = max; return this; }

        public Builder outputs(int exactly) { return outputs(exactly, exactly); }

        public Builder attr(AttrSpec spec) { attrs.put(spec.name(), spec); return this; }

        public OpSchema infer(TypeInference inference) {
            return new OpSchema(domain, name, since, minIn, maxIn, minOut, maxOut, attrs, inference);
        }

        public List<AttrSpec> attrs() { return List.copyOf(attrs.values()); }
    }
}
