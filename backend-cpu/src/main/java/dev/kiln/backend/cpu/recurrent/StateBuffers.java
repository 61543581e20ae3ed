package dev.kiln.backend.cpu.recurrent;

import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.plan.InputSegments;
import dev.kiln.backend.cpu.plan.ReusedOutput;
import dev.kiln.backend.cpu.plan.Slots;
import dev.kiln.ir.DType;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/** The state buffers the forward LSTM steps (float and int8) share: initial states in, final states out, growth. */
final class StateBuffers {
    private StateBuffers() {}

    /** The initial state input {@code which} ({@code [1, batch, hidden]}) copied into {@code into}, or zeros without one. */
    static void initial(Frame frame, Node node, InputSegments in, int which, int slot, MemorySegment into, int batch, int hidden) {
        long bytes = (long) batch * hidden * Float.BYTES;
        if (slot == Slots.ABSENT) {
            into.asSlice(0, bytes).fill((byte) 0);
            return;
        }
        Tensor t = (Tensor) frame.get(slot);
        if (t.dtype() != DType.F32 || t.size() != (long) batch * hidden) {
            throw new KilnException(node.describe() + ": initial state " + Arrays.toString(t.shape()) + " is not [1, " + batch + ", " + hidden + "]");
        }
        MemorySegment.copy(in.of(which, t), 0, into, 0, bytes);
    }

    /**
     * A GRU's initial_h ({@code [dirs, batch, hidden]}, input {@code which}) copied into {@code into}, or zeros
     * without one; {@code bytes} is its size.
     */
    static void initialAllDirections(Frame frame, Node node, InputSegments in, int which, int slot, MemorySegment into, long bytes,
                                     int dirs, int batch, int hidden) {
        if (slot == Slots.ABSENT) {
            into.asSlice(0, bytes).fill((byte) 0);
            return;
        }
        Tensor t = (Tensor) frame.get(slot);
        if (t.dtype() != DType.F32 || t.size() * Float.BYTES != bytes) {
            throw new KilnException(node.describe() + ": initial_h " + Arrays.toString(t.shape()) + " is not [" + dirs + ", " + batch + ", " + hidden + "]");
        }
        MemorySegment.copy(in.of(which, t), 0, into, 0, bytes);
    }

    /** {@code from} as the {@code [1, batch, hidden]} output {@code out}. */
    static Tensor finalState(ReusedOutput out, MemorySegment from, int batch, int hidden) {
        Tensor t = out.tensor(1, batch, hidden);
        MemorySegment.copy(from, 0, out.segment(), 0, (long) batch * hidden * Float.BYTES);
        return t;
    }

    /** {@code s} if it holds {@code bytes}, else a new 64-byte-aligned buffer (grown only when a run needs more). */
    static MemorySegment atLeast(MemorySegment s, long bytes) {
        return s != null && s.byteSize() >= bytes ? s : Arena.ofAuto().allocate(Math.max(bytes, 64), 64);
    }
}
