package dev.kiln.backend.opencl.offline;

import dev.kiln.backend.opencl.plan.OpSupport;
import dev.kiln.backend.opencl.plan.ProgramPlan;
import dev.kiln.backend.opencl.plan.Specializer;
import dev.kiln.backend.opencl.render.RenderOptions;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The offline flow's writer: renders an optimized graph for its declared input shapes (symbolic dims as 1) and
 * writes an emit dir with the kernels ({@value PlanManifest#SOURCE_FILE}), the host manifest
 * ({@value PlanManifest#MANIFEST_FILE}), the weights ({@value PlanManifest#WEIGHTS_FILE}), the build target's
 * files, and any further named files the caller adds (the estimate report).
 */
public final class FpgaEmitter {
    private FpgaEmitter() {}

    /** What was written: the manifest and every file, in writing order. */
    public record Emitted(HostManifest manifest, List<Path> files) {}

    /**
     * Writes the emit dir for {@code graph} into {@code dir} (created if needed). {@code extraFiles} are further
     * text files by plain name, which must not replace the flow's own. Fails, naming them, when nodes have no
     * OpenCL kernel or an input is not float32.
     */
    public static Emitted emit(Graph graph, RenderOptions options, BuildTarget target, Path dir, Map<String, String> extraFiles) {
        Map<String, Tensor> inputs = Specializer.placeholders(graph);
        if (inputs == null) {
            throw new KilnException("graph '" + graph.name() + "': the offline flow builds for the declared input shapes, which needs "
                    + "every input to be float32 with a known rank (inputs: " + graph.inputs() + ")");
        }
        Graph typed = Specializer.bind(graph, inputs);
        List<String> unsupported = new ArrayList<>();
        for (Node node : typed.nodes()) {
            String problem = OpSupport.problem(node, typed);
            if (problem != null) unsupported.add(node.describe() + ": " + problem);
        }
        if (!unsupported.isEmpty()) {
            throw new KilnException("graph '" + graph.name() + "': the OpenCL kernels cannot run " + unsupported.size() + " node(s): "
                    + String.join("; ", unsupported));
        }
        ProgramPlan plan = ProgramPlan.render(typed, options);
        HostManifest planned = PlanManifest.of(plan, options, target.id());
        Map<String, byte[]> built = new LinkedHashMap<>();
        built.put(PlanManifest.WEIGHTS_FILE, WeightsFile.bytes(planned.weights(), plan.graph()));
        built.putAll(target.files(plan));
        Map<String, String> sha256 = new LinkedHashMap<>();
        built.forEach((name, bytes) -> sha256.put(name, GraphIdentity.sha256(bytes)));
        HostManifest manifest = planned.withFiles(sha256);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(PlanManifest.SOURCE_FILE, plan.source().getBytes(StandardCharsets.UTF_8));
        files.put(PlanManifest.MANIFEST_FILE, ManifestJson.write(manifest).getBytes(StandardCharsets.UTF_8));
        files.putAll(built);
        extraFiles.forEach((name, text) -> {
            if (!name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*") || files.containsKey(name)) {
                throw new IllegalArgumentException("extra emit-dir file '" + name + "' must be a new plain file name");
            }
            files.put(name, text.getBytes(StandardCharsets.UTF_8));
        });
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (var e : files.entrySet()) {
                Path file = Files.write(dir.resolve(e.getKey()), e.getValue());
                if (e.getKey().endsWith(".sh")) file.toFile().setExecutable(true); // the vendor build scripts run as ./build.sh
                written.add(file);
            }
        } catch (IOException e) {
            throw new KilnException("cannot write the emit dir " + dir + ": " + e.getMessage(), e);
        }
        return new Emitted(manifest, written);
    }
}
