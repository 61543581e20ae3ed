package dev.kiln.backend.opencl.render;

import java.util.List;

/**
 * The lines a streamed program starts with: the stream operations as macros ({@code KILN_STREAM_IN/OUT} for a
 * pipe argument, {@code KILN_STREAM_STATE}, {@code KILN_READ}, {@code KILN_WRITE}), so one kernel text serves
 * every mapping — Intel channels declared at program scope; OpenCL 2.0 pipes as kernel arguments; and, for
 * verification only ({@code -DKILN_PIPES_AS_FIFO}), each pipe a global buffer as deep as the whole tensor with a
 * private read or write position in each kernel.
 */
public final class StreamPrelude {
    private StreamPrelude() {}

    /** The prelude for {@code streams} (their ids) of {@code depth} floats each. */
    public static String of(Streaming mode, List<String> streams, int depth) {
        StringBuilder b = new StringBuilder();
        if (mode == Streaming.CHANNELS) {
            b.append("#pragma OPENCL EXTENSION cl_intel_channels : enable\n");
            for (String s : streams) b.append("channel float ").append(s).append(" __attribute__((depth(").append(depth)
                    .append(")));\n");
            b.append("#define KILN_STREAM_STATE(s)\n");
            b.append("#define KILN_READ(s) read_channel_intel(s)\n");
            b.append("#define KILN_WRITE(s, v) write_channel_intel(s, v)\n");
            return b.toString();
        }
        b.append("#ifdef KILN_PIPES_AS_FIFO\n");
        b.append("/* Verification only: a pipe as a global buffer holding the whole tensor, read and written in order. */\n");
        b.append("#define KILN_STREAM_IN(s) __global const float* restrict s\n");
        b.append("#define KILN_STREAM_OUT(s) __global float* restrict s\n");
        b.append("#define KILN_STREAM_STATE(s) int s##_at = 0\n");
        b.append("#define KILN_READ(s) s[s##_at++]\n");
        b.append("#define KILN_WRITE(s, v) s[s##_at++] = (v)\n");
        b.append("#else\n");
        b.append("#define KILN_STREAM_IN(s) __read_only pipe float s\n");
        b.append("#define KILN_STREAM_OUT(s) __write_only pipe float s\n");
        b.append("#define KILN_STREAM_STATE(s)\n");
        b.append("#define KILN_READ(s) kiln_read_pipe(s)\n");
        b.append("#define KILN_WRITE(s, v) kiln_write_pipe(s, v)\n");
        b.append("/* Blocking reads and writes: retry until the producer has written (or the consumer has read). */\n");
        b.append("float kiln_read_pipe(__read_only pipe float p) {\n    float v;\n    while (read_pipe(p, &v) != 0) {}\n    return v;\n}\n");
        b.append("void kiln_write_pipe(__write_only pipe float p, float v) {\n    while (write_pipe(p, &v) != 0) {}\n}\n");
        b.append("#endif\n");
        return b.toString();
    }
}
