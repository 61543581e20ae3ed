package dev.kiln.runtime.spi;

import dev.kiln.ir.tensor.Tensor;

/** Device memory for backends that run on the host: a buffer is a private copy of the tensor. */
final class HostBuffers implements DeviceBuffers {
    static final HostBuffers INSTANCE = new HostBuffers();

    private record HostBuffer(Tensor tensor) implements Buffer {
        @Override
        public long bytes() { return tensor.data() == null ? 0 : tensor.data().remaining(); }

        @Override
        public void close() { }
    }

    private HostBuffers() {}

    @Override
    public Buffer upload(Tensor host) { return new HostBuffer(host.copy()); }

    @Override
    public Tensor download(Buffer buffer) { return ((HostBuffer) buffer).tensor().copy(); }
}
