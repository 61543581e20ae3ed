package dev.kiln.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository that tests use (tests run with the module folder as working directory). */
public final class RepoFiles {
    private RepoFiles() {}

    public static Path digitsModel() { return root().resolve("examples/digits/digits_cnn.onnx"); }

    public static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("examples"))) return dir;
        }
        throw new IllegalStateException("not inside the Kiln repository");
    }
}
