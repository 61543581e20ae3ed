package dev.kiln.bench.jmh;

import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.IrParser;
import dev.kiln.ir.text.IrPrinter;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.CompiledModel;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.Session;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One op compiled as a whole model for one device: the way a kernel benchmark reaches the kernel a backend provides,
 * through the same {@code Kiln.fromGraph(graph).compile(options)} path a real model takes. Weights are graph
 * constants (not inputs), so a backend may prepare them at compile time as it would for a loaded model.
 */
public final class OneOpModel implements AutoCloseable {
    private final CompiledModel compiled;
    private final Session session;

    private OneOpModel(CompiledModel compiled) {
        this.compiled = compiled;
        this.session = compiled.newSession();
    }

    /**
     * Parses {@code irText}, whose constants name the tensors of {@code constants} as {@code resource<sha256:...>}
     * (see {@link #constant}), and compiles it for {@code device}. An unknown or unavailable device, or one that
     * cannot run the op, fails with a {@link KilnException} naming the benchmark, never a silent fallback.
     */
    public static OneOpModel compile(String benchmark, String irText, List<Tensor> constants, String device, int threads) {
        Map<String, Tensor> byHash = new HashMap<>();
        for (Tensor t : constants) byHash.put(t.contentHash(), t);
        Graph graph = IrParser.parse(irText, byHash::get);
        try {
            CompiledModel compiled = Kiln.fromGraph(graph).compile(new CompileOptions(device, threads));
            if (!compiled.device().equals(device)) {
                throw new KilnException("compiled for device '" + compiled.device() + "', not the requested '" + device + "'");
            }
            return new OneOpModel(compiled);
        } catch (RuntimeException e) {
            throw new KilnException(benchmark + " on device '" + device + "': " + e.getMessage(), e);
        }
    }

    /** The IR text line declaring constant {@code name} as {@code tensor}, by content hash. */
    public static String constant(String name, Tensor tensor) {
        return "  const %" + name + ": " + IrPrinter.formatType(tensor.type()) + " = resource<sha256:" + tensor.contentHash() + ">\n";
    }

    /** The device the op was compiled for. */
    public String device() { return compiled.device(); }

    /** Runs the op once; returns every output by name. */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) { return session.run(inputs); }

    /** Runs the op once; returns its one output. */
    public Tensor runOne(Map<String, Tensor> inputs) { return run(inputs).values().iterator().next(); }

    @Override
    public void close() { session.close(); }
}
