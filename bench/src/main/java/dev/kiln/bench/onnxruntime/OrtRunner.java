package dev.kiln.bench.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import dev.kiln.bench.InferenceRunner;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX Runtime's CPU execution provider through its Java API, set up as its users would for speed: every graph
 * optimization on, {@code threads} intra-op threads, sequential execution. The feeds are copied to native tensors
 * once, so the timed call is {@code session.run} alone.
 */
public final class OrtRunner implements InferenceRunner {
    private final OrtSession session;
    private final List<Map<String, OnnxTensor>> feeds = new ArrayList<>();
    private final double compileMillis;
    private final Path model;

    public OrtRunner(Path model, int threads, List<Map<String, Tensor>> kilnFeeds) {
        this.model = model;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long start = System.nanoTime();
        try (SessionOptions options = new SessionOptions()) {
            options.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
            session = env.createSession(model.toString(), options);
        } catch (OrtException e) {
            throw new KilnException(model + ": onnxruntime cannot load the model: " + e.getMessage(), e);
        }
        compileMillis = (System.nanoTime() - start) / 1e6;
        try {
            for (Map<String, Tensor> feed : kilnFeeds) {
                Map<String, OnnxTensor> native_ = new LinkedHashMap<>();
                for (Map.Entry<String, Tensor> e : feed.entrySet()) native_.put(e.getKey(), OrtTensors.toOrt(env, e.getKey(), e.getValue()));
                feeds.add(native_);
            }
        } catch (OrtException e) {
            close();
            throw new KilnException(model + ": onnxruntime cannot take the inputs: " + e.getMessage(), e);
        }
    }

    @Override
    public String runtime() { return "onnxruntime"; }

    @Override
    public double compileMillis() { return compileMillis; }

    @Override
    public void infer(int feed) {
        try (OrtSession.Result ignored = session.run(feeds.get(feed))) {
            // The outputs stay native; closing the result frees them, as a caller that reads nothing would.
        } catch (OrtException e) {
            throw failure(e);
        }
    }

    @Override
    public Map<String, Tensor> outputs(int feed) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (OrtSession.Result result = session.run(feeds.get(feed))) {
            for (Map.Entry<String, OnnxValue> e : result) {
                if (e.getValue() instanceof OnnxTensor t) out.put(e.getKey(), OrtTensors.toKiln(e.getKey(), t));
            }
        } catch (OrtException e) {
            throw failure(e);
        }
        return out;
    }

    private KilnException failure(OrtException e) {
        return new KilnException(model + ": onnxruntime run failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        for (Map<String, OnnxTensor> feed : feeds) feed.values().forEach(OnnxTensor::close);
        try {
            session.close();
        } catch (OrtException e) {
            throw failure(e);
        }
    }
}
