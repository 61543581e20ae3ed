package dev.kiln.backend.opencl.offline;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Whether a binary's manifest fits the model about to run it: the same input shapes, the same graph (nodes,
 * attributes and weights, by {@link GraphIdentity}), the same kernels taking the same buffers, and — the model
 * rendered again with the manifest's choices (unroll factors, streaming) — the same source the binary was built from.
 */
public final class ManifestCheck {
    private ManifestCheck() {}

    /** Why {@code binary}'s manifest does not fit {@code model}'s (the manifest of this run's plan), or null when it does. */
    public static String problem(HostManifest binary, HostManifest model) {
        if (!binary.inputs().equals(model.inputs())) {
            return "it was built for inputs " + ports(binary.inputs()) + ", this run has " + ports(model.inputs());
        }
        if (!binary.graphHash().equals(model.graphHash())) {
            return "it was built for graph '" + binary.graph() + "' " + binary.graphHash() + ", this model is '" + model.graph() + "' "
                    + model.graphHash() + " (another model, other weights or another optimization level)";
        }
        List<HostManifest.Kernel> has = binary.kernels();
        List<HostManifest.Kernel> needs = model.kernels();
        for (int i = 0; i < Math.max(has.size(), needs.size()); i++) {
            String h = i < has.size() ? call(has.get(i)) : "nothing";
            String n = i < needs.size() ? call(needs.get(i)) : "nothing";
            if (!h.equals(n)) return "launch " + i + " is " + h + " in the manifest, this model needs " + n;
        }
        if (!binary.program().sourceSha256().equals(model.program().sourceSha256())) {
            return "its kernels' source has SHA-256 " + binary.program().sourceSha256() + ", this Kiln renders " + model.program().sourceSha256()
                    + " for the model with the manifest's choices (another Kiln version?)";
        }
        return null;
    }

    private static String ports(List<HostManifest.Port> ports) {
        return ports.stream().map(p -> p.name() + " " + p.dtype() + p.shape().stream().map(String::valueOf)
                .collect(Collectors.joining(",", "[", "]"))).collect(Collectors.joining(", "));
    }

    private static String call(HostManifest.Kernel k) { return k.name() + "(" + String.join(", ", k.args()) + ") in stage " + k.stage(); }
}
