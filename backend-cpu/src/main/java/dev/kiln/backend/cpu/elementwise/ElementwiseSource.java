package dev.kiln.backend.cpu.elementwise;

import dev.kiln.backend.cpu.codegen.KernelCompiler;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Java source for one elementwise body (a kiln:FusedElementwise's graph, or a lone elementwise op as a body of one
 * node): a row loop with the Vector API over the contiguous run and a scalar tail computing the same expression, so
 * the tail is the vector code's own scalar twin. Float32 only; a body with any other op, type or a non-scalar
 * constant gets no source (the node then runs the generic kernel).
 */
final class ElementwiseSource {
    private final Graph body;
    private final boolean[] varying;
    private final Map<String, String> vectorNames = new HashMap<>();
    private final Map<String, String> scalarNames = new HashMap<>();
    private final StringBuilder vectorCode = new StringBuilder();
    private final StringBuilder scalarCode = new StringBuilder();

    private final String species;

    private ElementwiseSource(Graph body, boolean[] varying, VectorSpecies<Float> species) {
        this.body = body;
        this.varying = varying;
        this.species = species == FloatVector.SPECIES_PREFERRED ? "SPECIES_PREFERRED" : "SPECIES_" + species.vectorBitSize();
    }

    /** The generated kernel (class name → source), or null when the body has something this generator lacks. */
    static Map.Entry<String, String> generate(Graph body, boolean[] varying, String description, VectorSpecies<Float> species) {
        ElementwiseSource s = new ElementwiseSource(body, varying, species);
        if (!s.emitBody()) return null;
        String template = s.source("$NAME$", description);
        String name = KernelCompiler.className("Elementwise", template);
        return Map.entry(name, template.replace("$NAME$", name));
    }

    private boolean emitBody() {
        if (body.outputs().size() != 1 || !isF32(body.outputs().getFirst())) return false;
        for (int j = 0; j < body.inputs().size(); j++) {
            Value in = body.inputs().get(j);
            if (!isF32(in)) return false;
            vectorNames.put(in.name(), varying[j] ? "x" + j : "k" + j);
            scalarNames.put(in.name(), varying[j] ? "y" + j : "c" + j);
        }
        for (Map.Entry<String, Tensor> c : body.constants().entrySet()) {
            if (c.getValue().dtype() != DType.F32 || c.getValue().size() != 1) return false;
            String literal = literal((float) c.getValue().getDouble(0));
            vectorNames.put(c.getKey(), literal);
            scalarNames.put(c.getKey(), literal);
        }
        int t = 0;
        for (Node n : body.nodes()) {
            if (n.outputs().size() != 1 || !isF32(n.output(0))) return false;
            ElementwiseOps.Expression e = ElementwiseOps.of(n, body.constants());
            if (e == null) return false;
            List<Value> args = e.arguments();
            String[] v = new String[args.size()];
            String[] s = new String[args.size()];
            for (int a = 0; a < args.size(); a++) {
                v[a] = vectorNames.get(args.get(a).name());
                s[a] = scalarNames.get(args.get(a).name());
                if (v[a] == null) return false;
                if (v[a].endsWith("f") || v[a].startsWith("Float.")) v[a] = "FloatVector.broadcast(S, " + v[a] + ")";
            }
            String name = "t" + t++;
            vectorCode.append("                FloatVector ").append(name).append(" = ").append(e.vector(v)).append(";\n");
            scalarCode.append("                float ").append(name).append(" = ").append(e.scalar(s)).append(";\n");
            vectorNames.put(n.output(0).name(), name);
            scalarNames.put(n.output(0).name(), name);
        }
        return vectorNames.containsKey(body.outputs().getFirst().name()) && !body.nodes().isEmpty();
    }

    private String source(String name, String description) {
        StringBuilder src = new StringBuilder();
        src.append("package ").append(KernelCompiler.PACKAGE).append(";\n\n")
           .append("import dev.kiln.backend.cpu.elementwise.ElementwiseKernel;\n")
           .append("import java.lang.foreign.MemorySegment;\nimport java.lang.foreign.ValueLayout;\nimport java.nio.ByteOrder;\n")
           .append("import jdk.incubator.vector.FloatVector;\nimport jdk.incubator.vector.VectorOperators;\nimport jdk.incubator.vector.VectorSpecies;\n\n")
           .append("/** ").append(description.replace("*/", "* /")).append(" */\n")
           .append("public final class ").append(name).append(" implements ElementwiseKernel {\n")
           .append("    private static final VectorSpecies<Float> S = FloatVector.").append(species).append(";\n")
           .append("    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);\n")
           .append("    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;\n")
           .append("    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);\n\n")
           .append("    @Override\n")
           .append("    public void run(MemorySegment[] in, long[][] rowStarts, MemorySegment out, int firstRow, int endRow, long inner) {\n");
        int inputs = body.inputs().size();
        for (int j = 0; j < inputs; j++) {
            src.append("        MemorySegment in").append(j).append(" = in[").append(j).append("];\n")
               .append("        long[] r").append(j).append(" = rowStarts[").append(j).append("];\n");
        }
        src.append("        long bound = S.loopBound(inner);\n")
           .append("        for (int o = firstRow; o < endRow; o++) {\n");
        for (int j = 0; j < inputs; j++) {
            src.append("            long p").append(j).append(" = r").append(j).append("[o] * 4;\n");
            if (!varying[j]) {
                src.append("            float c").append(j).append(" = in").append(j).append(".get(F, p").append(j).append(");\n")
                   .append("            FloatVector k").append(j).append(" = FloatVector.broadcast(S, c").append(j).append(");\n");
            }
        }
        String result = vectorNames.get(body.outputs().getFirst().name());
        src.append("            long po = o * inner * 4;\n")
           .append("            long i = 0;\n")
           .append("            for (; i < bound; i += S.length()) {\n");
        for (int j = 0; j < inputs; j++) {
            if (varying[j]) {
                src.append("                FloatVector x").append(j).append(" = FloatVector.fromMemorySegment(S, in").append(j)
                   .append(", p").append(j).append(" + i * 4, LE);\n");
            }
        }
        src.append(vectorCode)
           .append("                ").append(result).append(".intoMemorySegment(out, po + i * 4, LE);\n")
           .append("            }\n")
           .append("            for (; i < inner; i++) {\n");
        for (int j = 0; j < inputs; j++) {
            if (varying[j]) {
                src.append("                float y").append(j).append(" = in").append(j).append(".get(F, p").append(j).append(" + i * 4);\n");
            }
        }
        src.append(scalarCode)
           .append("                out.set(F, po + i * 4, ").append(scalarNames.get(body.outputs().getFirst().name())).append(");\n")
           .append("            }\n")
           .append("        }\n")
           .append("    }\n")
           .append("}\n");
        return src.toString();
    }

    private static boolean isF32(Value v) { return v.type() instanceof TensorType t && t.dtype() == DType.F32; }

    /** A Java float literal that reads back as exactly {@code f}. */
    static String literal(float f) {
        if (Float.isNaN(f)) return "Float.NaN";
        if (Float.isInfinite(f)) return f > 0 ? "Float.POSITIVE_INFINITY" : "Float.NEGATIVE_INFINITY";
        return Float.toString(f) + "f";
    }
}
