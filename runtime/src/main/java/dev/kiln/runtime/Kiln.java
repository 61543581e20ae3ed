package dev.kiln.runtime;

import dev.kiln.ir.Graph;
import dev.kiln.runtime.artifact.Artifact;
import dev.kiln.runtime.artifact.ArtifactReader;
import dev.kiln.runtime.spi.ModelLoader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * The entry point: {@code Kiln.load(path).compile(options).newSession().run(inputs)}.
 */
public final class Kiln {
    /** The project version (from {@code kiln-version.properties}, which the build fills in). */
    public static final String VERSION = projectVersion();

    private Kiln() {}

    /**
     * Loads a model file: a saved artifact ({@code kiln compile}'s {@code .kiln}, ready to run without the passes or
     * a compiler), or any other format with the first {@link ModelLoader} that accepts it.
     */
    public static Model load(Path file) {
        if (!Files.exists(file)) throw new ModelException(file + ": no such file");
        if (Files.isDirectory(file)) throw new ModelException(file + ": is a directory, not a model file");
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(64);
        } catch (NoSuchFileException e) {
            throw new ModelException(file + ": no such file");
        } catch (IOException e) {
            throw new ModelException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (ArtifactReader.isArtifact(head)) {
            Artifact artifact = ArtifactReader.read(file);
            return new Model(file, artifact.graph(), artifact);
        }
        List<String> formats = new ArrayList<>();
        for (ModelLoader loader : ServiceLoader.load(ModelLoader.class, Kiln.class.getClassLoader())) {
            formats.add(loader.format());
            if (!loader.accepts(file, head)) continue;
            try {
                Graph graph = loader.load(file);
                return new Model(file, graph, null);
            } catch (IOException e) {
                throw new ModelException(file + ": cannot read: " + e.getMessage(), e);
            }
        }
        throw new ModelException(file + ": not a model file of a known format (" + String.join(", ", formats) + ")");
    }

    /** Wraps an IR graph built in code. */
    public static Model fromGraph(Graph graph) { return new Model(null, graph, null); }

    /** Wraps an IR graph derived from the model file {@code source} (e.g. after optimization passes). */
    public static Model fromGraph(Graph graph, Path source) { return new Model(source, graph, null); }

    private static String projectVersion() {
        try (InputStream in = Kiln.class.getResourceAsStream("kiln-version.properties")) {
            if (in == null) return "dev";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
