package dev.kiln.backend.opencl.render;

/** Builds indented OpenCL C, one statement a line, so the dumped kernels read like hand-written ones. */
final class CWriter {
    private final StringBuilder text = new StringBuilder();
    private int depth;

    CWriter line(String statement) {
        text.append("    ".repeat(depth)).append(statement).append('\n');
        return this;
    }

    /** {@code header {} and one level deeper. */
    CWriter open(String header) {
        line(header + " {");
        depth++;
        return this;
    }

    CWriter close() {
        depth--;
        return line("}");
    }

    /** {@code for (int v = 0; v < bound; v++) {}, preceded by {@code #pragma unroll factor} when factor > 1. */
    CWriter loop(String v, long bound, int unroll) {
        if (unroll > 1) text.append("#pragma unroll ").append(unroll).append('\n');
        return open("for (int " + v + " = 0; " + v + " < " + bound + "; " + v + "++)");
    }

    CWriter loop(String v, long bound) { return loop(v, bound, 1); }

    /** Closes {@code n} levels. */
    CWriter close(int n) {
        for (int i = 0; i < n; i++) close();
        return this;
    }

    @Override
    public String toString() { return text.toString(); }
}
