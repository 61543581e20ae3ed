package dev.kiln.models;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository checkout from wherever the test runs (Maven runs module tests in the module folder). */
final class RepoRoot {
    private RepoRoot() {}

    /** The nearest folder at or above the working directory that holds both {@code pom.xml} and {@code models/}. */
    static Path find() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("models"))) return dir;
        }
        throw new IllegalStateException("no folder with pom.xml and models/ at or above " + start);
    }
}
