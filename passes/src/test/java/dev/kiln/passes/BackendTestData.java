package dev.kiln.passes;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the ONNX backend test data lies: {@code $KILN_CONFORMANCE_DIR}, else the nearest {@code shared/onnx-backend-tests}
 * above the working directory (CI clones the checkout to a different root than development, so no absolute path).
 * A path that does not exist when the data is absent; the tests that use it skip or list nothing then.
 */
public final class BackendTestData {
    private BackendTestData() {}

    public static Path root() {
        String env = System.getenv("KILN_CONFORMANCE_DIR");
        if (env != null && !env.isBlank()) return Path.of(env);
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("onnx-backend-tests");
            if (Files.isDirectory(candidate)) return candidate;
        }
        return Path.of("shared", "onnx-backend-tests");
    }

    public static Path light() { return root().resolve("light"); }
}
