package dev.kiln.backend.opencl.render;

/**
 * One end of a stream as a kernel sees it: the stream's identifier {@code id} (the pipe argument's or channel's
 * name), the tensor's element count, and whether the kernel reads (or writes) it {@code direct}ly in row-major
 * order, or holds the whole tensor in a {@code __local} copy because it needs random access.
 */
public record StreamPort(String id, long elements, boolean direct) {}
