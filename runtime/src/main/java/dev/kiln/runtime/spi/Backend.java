package dev.kiln.runtime.spi;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.runtime.CompileOptions;

import java.util.List;

/**
 * The backend SPI: everything the runtime knows of a backend. Implementations are found with
 * {@link java.util.ServiceLoader}; a new backend implements these methods and nothing else.
 */
public interface Backend {
    /** The device name {@code --device} takes: {@code ref}, {@code cpu}, {@code opencl}, {@code cuda}. */
    String name();

    /** Higher runs faster; automatic device choice takes the highest available backend that runs the whole model. */
    int speedRank();

    /** The devices this backend sees on this machine (possibly none available, with the reason). */
    List<Device> devices();

    /** Whether the backend runs {@code node} of {@code graph}; the reason when not. */
    NodeSupport supports(Node node, Graph graph);

    /** Compiles a (sub)graph whose every node is supported. */
    Executable compile(Graph graph, CompileOptions options);

    /**
     * Whether {@link #compile} runs a program built offline for the device ({@link CompileOptions#deviceBinary()})
     * instead of building its own; a backend that does not is never handed one.
     */
    default boolean loadsDeviceBinaries() { return false; }

    /** Device memory and host copies. */
    DeviceBuffers buffers();
}
