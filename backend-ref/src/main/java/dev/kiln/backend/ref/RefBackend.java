package dev.kiln.backend.ref;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.RuntimeValue;
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
        String reason = RefKernels.unsupportedReason(node);
        return reason == null ? NodeSupport.YES : NodeSupport.no(reason);
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
    public DeviceBuffers buffers() { return DeviceBuffers.host(); }
}
