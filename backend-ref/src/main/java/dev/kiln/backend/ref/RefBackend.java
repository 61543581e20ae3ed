package dev.kiln.backend.ref;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.interpreter.Interpreter;
import dev.kiln.interpreter.RefKernels;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.spi.Backend;
import dev.kiln.runtime.spi.Device;
import dev.kiln.runtime.spi.DeviceBuffers;
import dev.kiln.runtime.spi.Executable;
import dev.kiln.runtime.spi.NodeSupport;

import java.util.List;
import java.util.Map;

/** The reference backend: interprets the graph with plain Java kernels on the host. Slow, simple, the oracle. */
public final class RefBackend implements Backend {
    @Override
    public String name() { return "ref"; }

    @Override
    public int speedRank() { return 0; }

    @Override
    public List<Device> devices() {
        return List.of(Device.available("ref", "reference interpreter on the host CPU (plain Java, double accumulation)"));
    }

    @Override
    public NodeSupport supports(Node node, Graph graph) {
        if (RefKernels.find(node.qualifiedOp()) == null) return NodeSupport.no("no reference kernel for " + node.qualifiedOp());
        for (Attribute a : node.attributes().values()) {
            List<Graph> bodies = a.kind() == Attribute.Kind.GRAPH ? List.of(a.asGraph())
                    : a.kind() == Attribute.Kind.GRAPHS ? a.asGraphs() : List.of();
            for (Graph body : bodies) {
                for (Node inner : body.nodes()) {
                    NodeSupport s = supports(inner, body);
                    if (!s.supported()) return NodeSupport.no("subgraph " + inner.describe() + ": " + s.reason());
                }
            }
        }
        return NodeSupport.YES;
    }

    @Override
    public Executable compile(Graph graph, CompileOptions options) {
        return () -> new Executable.Runner() {
            @Override
            public Map<String, RuntimeValue> run(Map<String, RuntimeValue> inputs) { return Interpreter.run(graph, inputs); }

            @Override
            public void close() { }
        };
    }

    @Override
    public DeviceBuffers buffers() { return HOST; }

    /** The reference backend's device memory is the host heap: a buffer is the tensor itself. */
    private static final DeviceBuffers HOST = new DeviceBuffers() {
        record HostBuffer(Tensor tensor) implements Buffer {
            @Override
            public long bytes() { return tensor.data() == null ? 0 : tensor.data().remaining(); }

            @Override
            public void close() { }
        }

        @Override
        public Buffer upload(Tensor host) { return new HostBuffer(host.copy()); }

        @Override
        public Tensor download(Buffer buffer) { return ((HostBuffer) buffer).tensor().copy(); }
    };
}
