package dev.kiln.backend.opencl.offline;

import dev.kiln.ir.Graph;
import dev.kiln.ir.json.IrJson;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of a model specialized for its inputs: a SHA-256 over the graph's JSON view, which holds every node,
 * attribute, value type (so every input and intermediate shape) and each constant's content hash. Two graphs with
 * the same identity render the same kernels over the same weights, which is what a prebuilt binary relies on.
 */
public final class GraphIdentity {
    private GraphIdentity() {}

    /** {@code sha256:<hex>} of {@code typed}, a graph with static shapes (see {@code plan.Specializer}). */
    public static String of(Graph typed) { return "sha256:" + sha256(IrJson.toJson(typed).getBytes(StandardCharsets.UTF_8)); }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
