package dev.kiln.models;

import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.CompiledModel;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.io.Npy;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runtime's promise: several sessions of one compiled model may run at once on different threads. */
class ConcurrentSessionsTest {
    private static final Path MODEL = RepoRoot.find().resolve("models/resnet");

    @Test
    void sessionsOnFourThreadsAgreeBitForBitWithOneThread() throws Exception {
        CompiledModel compiled = Kiln.load(MODEL.resolve("model.onnx")).compile(CompileOptions.defaults().withDevice("ref"));
        String input = compiled.graph().inputs().getFirst().name();
        Tensor x = Npy.read(MODEL.resolve("input_0.npy"));
        Tensor expected;
        try (Session s = compiled.newSession()) {
            expected = s.run(Map.of(input, x)).values().iterator().next();
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    try (Session s = compiled.newSession()) {
                        for (int i = 0; i < 10; i++) {
                            Tensor got = s.run(Map.of(input, x)).values().iterator().next();
                            if (!got.contentEquals(expected)) return false;
                        }
                        return true;
                    }
                }));
            }
            for (Future<Boolean> r : results) assertTrue(r.get(), "a concurrent session produced a different output");
        } finally {
            pool.shutdownNow();
        }
    }
}
