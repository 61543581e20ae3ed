package dev.kiln.backend.opencl.plan;

import dev.kiln.backend.opencl.render.KernelSource;
import dev.kiln.backend.opencl.render.RenderOptions;
import dev.kiln.backend.opencl.render.StreamPort;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Which kernel outputs stream to their consumer instead of going through a global buffer. A value qualifies when
 * a kernel produces it, no graph output lives in its buffer, and exactly one kernel reads it, once among its
 * arguments (views between them are the same bytes in the same order). Each end that does not access the tensor
 * in row-major order, once per element ({@link KernelSource#inOrder}), holds it whole in {@code __local} memory,
 * which must fit that kernel's on-chip share beside the other tensors it holds; otherwise the value stays global.
 * Streams form trees (each kernel has one output and it has one reader), so the kernels a stream connects — a
 * stage — can all run at once, and a stage's global inputs all come from earlier stages.
 */
final class StreamPlan {
    /** One stream: {@code value} (the buffer root) from launch {@code producer} to launch {@code consumer}. */
    record Edge(String id, String value, int producer, int consumer, long elements, boolean producerDirect, boolean consumerDirect) {}

    private StreamPlan() {}

    /**
     * The streams among {@code kernels} (rendered without streams, in launch order); {@code bufferOf} maps a value
     * to its buffer root, {@code elements} gives each value's element count.
     */
    static List<Edge> plan(List<KernelSource> kernels, UnaryOperator<String> bufferOf, Set<String> outputRoots,
                           Map<String, Long> elements, RenderOptions options) {
        Map<String, List<Integer>> readers = new HashMap<>();
        Map<String, String> readAs = new HashMap<>();
        for (int k = 0; k < kernels.size(); k++) {
            List<String> args = kernels.get(k).args();
            for (int a = 0; a < args.size() - 1; a++) {
                String root = bufferOf.apply(args.get(a));
                readers.computeIfAbsent(root, r -> new ArrayList<>()).add(k);
                readAs.put(root + "@" + k, args.get(a));
            }
        }
        long[] used = new long[kernels.size()];
        List<Edge> edges = new ArrayList<>();
        for (int p = 0; p < kernels.size(); p++) {
            String value = kernels.get(p).args().getLast();
            List<Integer> uses = readers.getOrDefault(value, List.of());
            Long count = elements.get(value);
            if (outputRoots.contains(value) || uses.size() != 1 || count == null || count == 0) continue;
            int c = uses.getFirst();
            boolean producerDirect = kernels.get(p).inOrder().contains(value);
            boolean consumerDirect = kernels.get(c).inOrder().contains(readAs.get(value + "@" + c));
            long bytes = count * Float.BYTES;
            if (!producerDirect && used[p] + bytes > options.localBytesPerLayer()) continue;
            if (!consumerDirect && used[c] + bytes > options.localBytesPerLayer()) continue;
            if (!producerDirect) used[p] += bytes;
            if (!consumerDirect) used[c] += bytes;
            edges.add(new Edge("stream" + edges.size(), value, p, c, count, producerDirect, consumerDirect));
        }
        return edges;
    }

    /** Each launch's stream ports, keyed by the value name as that launch's node names it. */
    static Map<Integer, Map<String, StreamPort>> ports(List<Edge> edges, List<KernelSource> kernels, UnaryOperator<String> bufferOf) {
        Map<Integer, Map<String, StreamPort>> ports = new HashMap<>();
        for (Edge e : edges) {
            ports.computeIfAbsent(e.producer(), k -> new HashMap<>()).put(e.value(), new StreamPort(e.id(), e.elements(), e.producerDirect()));
            for (String arg : kernels.get(e.consumer()).args()) {
                if (bufferOf.apply(arg).equals(e.value())) {
                    ports.computeIfAbsent(e.consumer(), k -> new HashMap<>()).put(arg, new StreamPort(e.id(), e.elements(), e.consumerDirect()));
                }
            }
        }
        return ports;
    }

    /**
     * Each launch's stage: launches joined by streams share one; stages are numbered in the order of their last
     * launch, which is a valid order to run them (a stage reads only the outputs of stages numbered before it).
     */
    static int[] stages(int launches, List<Edge> edges) {
        int[] parent = new int[launches];
        for (int i = 0; i < launches; i++) parent[i] = i;
        for (Edge e : edges) parent[find(parent, e.producer())] = find(parent, e.consumer());
        Map<Integer, Integer> last = new HashMap<>();
        for (int i = 0; i < launches; i++) last.merge(find(parent, i), i, Math::max);
        List<Integer> order = new ArrayList<>(new java.util.TreeSet<>(last.values()));
        int[] stage = new int[launches];
        for (int i = 0; i < launches; i++) stage[i] = order.indexOf(last.get(find(parent, i)));
        return stage;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    }
}
