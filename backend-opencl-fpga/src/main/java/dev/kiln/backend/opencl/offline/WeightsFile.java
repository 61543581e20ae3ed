package dev.kiln.backend.opencl.offline;

import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The weights file of a manifest: each weight buffer's tensor, little-endian as Kiln stores it, at its slice's offset. */
public final class WeightsFile {
    private WeightsFile() {}

    /** The file's bytes for {@code layout}, taken from {@code typed}'s constants; the gaps between slices are zero. */
    public static byte[] bytes(HostManifest.Weights layout, Graph typed) {
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(layout.bytes())).order(ByteOrder.LITTLE_ENDIAN);
        for (HostManifest.Slice slice : layout.slices()) {
            Tensor t = typed.constants().get(slice.buffer());
            if (t == null || t.data() == null) throw new IllegalArgumentException("weight '" + slice.buffer() + "' is not a numeric constant of the graph");
            out.put(Math.toIntExact(slice.offset()), t.data(), 0, Math.toIntExact(slice.bytes()));
        }
        return out.array();
    }
}
