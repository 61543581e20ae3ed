package dev.kiln.runtime.spi;

import dev.kiln.ir.tensor.Tensor;

/**
 * Memory on a backend's device and copies to and from the host. The runtime moves tensors between devices only
 * through this, so a backend with its own memory (OpenCL, CUDA) plugs in without the runtime knowing its API.
 */
public interface DeviceBuffers {
    /** A handle to device memory holding one tensor. */
    interface Buffer extends AutoCloseable {
        long bytes();

        @Override
        void close();
    }

    /** The buffers of a backend whose device memory is the host heap (the reference and CPU backends). */
    static DeviceBuffers host() { return HostBuffers.INSTANCE; }

    Buffer upload(Tensor host);

    Tensor download(Buffer buffer);
}
