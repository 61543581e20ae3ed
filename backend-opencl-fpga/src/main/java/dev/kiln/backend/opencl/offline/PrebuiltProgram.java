package dev.kiln.backend.opencl.offline;

import dev.kiln.backend.opencl.cl.ClContext;
import dev.kiln.backend.opencl.plan.ProgramPlan;
import dev.kiln.runtime.KilnException;
import org.jocl.cl_program;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A program built offline ({@code kiln.aocx}, {@code kiln.xclbin}, {@code kiln.<device>.bin}) with the host manifest
 * written beside it by {@code kiln compile --emit-dir}: {@code DIR/NAME.EXT...} goes with {@code DIR/NAME.manifest.json}
 * (the name up to its first dot), so every binary built in an emit dir finds that dir's {@code kiln.manifest.json}.
 * Before the binary runs a plan, the manifest must fit the plan ({@link ManifestCheck}); then the binary is loaded
 * once and shared by every session.
 */
public final class PrebuiltProgram {
    private final Path binaryFile;
    private final Path manifestFile;
    private final HostManifest manifest;
    private final byte[] binary;
    /** Plans already checked: the check hashes every weight, and sessions prepare the same cached plan again. */
    private final Set<ProgramPlan> fitting = Collections.newSetFromMap(new IdentityHashMap<>());
    private cl_program program;

    private PrebuiltProgram(Path binaryFile, Path manifestFile, HostManifest manifest, byte[] binary) {
        this.binaryFile = binaryFile;
        this.manifestFile = manifestFile;
        this.manifest = manifest;
        this.binary = binary;
    }

    /** Reads {@code binaryFile} and its manifest; a missing or malformed manifest fails naming the file. */
    public static PrebuiltProgram read(Path binaryFile) {
        Path manifestFile = manifestOf(binaryFile);
        if (!Files.isRegularFile(manifestFile)) {
            throw new KilnException("binary " + binaryFile + ": no manifest " + manifestFile + " beside it (kiln compile --emit-dir writes it)");
        }
        try {
            HostManifest manifest = ManifestJson.read(Files.readString(manifestFile), manifestFile.toString());
            byte[] binary = Files.readAllBytes(binaryFile);
            String listed = manifest.files().get(binaryFile.getFileName().toString());
            if (listed != null && !listed.equals(GraphIdentity.sha256(binary))) {
                // A device binary written with the manifest must be that file: some runtimes (PoCL) abort the
                // process on a truncated binary instead of returning CL_INVALID_BINARY.
                throw new KilnException("binary " + binaryFile + " is not the file written with " + manifestFile + " (SHA-256 "
                        + GraphIdentity.sha256(binary) + ", the manifest lists " + listed + "): emit it again");
            }
            return new PrebuiltProgram(binaryFile, manifestFile, manifest, binary);
        } catch (IOException e) {
            throw new KilnException("binary " + binaryFile + ": cannot read it or its manifest: " + e.getMessage(), e);
        }
    }

    /** {@code DIR/NAME.manifest.json} for {@code DIR/NAME.EXT...}. */
    public static Path manifestOf(Path binaryFile) {
        String name = binaryFile.getFileName().toString();
        int dot = name.indexOf('.');
        return binaryFile.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + PlanManifest.MANIFEST_SUFFIX);
    }

    public HostManifest manifest() { return manifest; }

    /** The loaded program for {@code plan}, refused when the manifest does not fit it or the device rejects the binary. */
    public synchronized cl_program programFor(ProgramPlan plan, ClContext context) {
        if (!fitting.contains(plan)) {
            String problem = ManifestCheck.problem(manifest, PlanManifest.of(plan, manifest.render(), manifest.target()));
            if (problem != null) {
                throw new KilnException("binary " + binaryFile + " does not fit this model: " + problem + " (manifest " + manifestFile + ")");
            }
            fitting.add(plan);
        }
        if (program == null) program = context.load(binary, "binary " + binaryFile, manifest.program().buildOptions());
        return program;
    }

    public synchronized void release() {
        if (program != null) ClContext.release(program);
        program = null;
    }
}
