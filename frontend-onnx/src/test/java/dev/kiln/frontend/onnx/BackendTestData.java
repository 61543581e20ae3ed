package dev.kiln.frontend.onnx;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Finds the ONNX backend test data: {@code $KILN_CONFORMANCE_DIR}, else {@code shared/onnx-backend-tests} beside
 * the checkout. Tests that need it are skipped on a machine without it, but fail under CI, where it must be there.
 */
final class BackendTestData {
    private BackendTestData() {}

    static Path root() {
        String env = System.getenv("KILN_CONFORMANCE_DIR");
        if (env != null && !env.isBlank()) return Path.of(env);
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/onnx-backend-tests");
            if (Files.isDirectory(candidate.resolve("node"))) return candidate;
        }
        if ("true".equals(System.getenv("CI"))) fail("ONNX backend test data not found beside the checkout (set KILN_CONFORMANCE_DIR)");
        assumeTrue(false, "ONNX backend test data not present");
        return null;
    }
}
