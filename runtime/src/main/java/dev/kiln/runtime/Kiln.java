package dev.kiln.runtime;

import dev.kiln.ir.Graph;
import dev.kiln.runtime.spi.ModelLoader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The entry point: {@code Kiln.load(path).compile(options).newSession().run(inputs)}.
 */
public final class Kiln {
    /** The project version, from the jar manifest when packaged. */
    public static final String VERSION = versionFromManifest();

    private Kiln() {}

    /** Loads a model file with the first {@link ModelLoader} that accepts it. */
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
        List<String> formats = new ArrayList<>();
        for (ModelLoader loader : ServiceLoader.load(ModelLoader.class, Kiln.class.getClassLoader())) {
            formats.add(loader.format());
            if (!loader.accepts(file, head)) continue;
            try {
                Graph graph = loader.load(file);
                return new Model(file, graph);
            } catch (IOException e) {
                throw new ModelException(file + ": cannot read: " + e.getMessage(), e);
            }
        }
        throw new ModelException(file + ": not a model file of a known format (" + String.join(", ", formats) + ")");
    }

    /** Wraps an IR graph built in code. */
    public static Model fromGraph(Graph graph) { return new Model(null, graph); }

    /** Wraps an IR graph derived from the model file {@code source} (e.g. after optimization passes). */
    public static Model fromGraph(Graph graph, Path source) { return new Model(source, graph); }

    private static String versionFromManifest() {
        String v = Kiln.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
