/*
 * Test-only stand-in for Intel's cl_intel_channels, so clang (which does not know the extension) can parse the
 * channels variant of a program: a channel becomes a program-scope float (OpenCL 2.0 allows those), a read its
 * value, a write an assignment to it. It proves the kernels are valid OpenCL C apart from the channel type and
 * that every channel is declared and read and written as a float; not that Intel's aoc accepts them.
 */
#define channel
#define read_channel_intel(c) (c)
#define write_channel_intel(c, v) ((c) = (v))
