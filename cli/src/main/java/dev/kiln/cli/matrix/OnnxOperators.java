package dev.kiln.cli.matrix;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Every ONNX operator name (default domain, ai.onnx.ml, ai.onnx.preview.training, ai.onnx.preview), as qualified
 * op names ({@code Conv}, {@code ai.onnx.ml:Binarizer}); a fact of the ONNX spec kept as a resource.
 */
public final class OnnxOperators {
    private static final String RESOURCE = "/dev/kiln/cli/onnx-operators.txt";

    private OnnxOperators() {}

    public static List<String> all() { return lines(RESOURCE); }

    /** The domain part of a qualified op name ({@code ""} for the default domain). */
    public static String domain(String qualifiedOp) {
        int colon = qualifiedOp.lastIndexOf(':');
        return colon < 0 ? "" : qualifiedOp.substring(0, colon);
    }

    /** The op name without its domain. */
    public static String name(String qualifiedOp) { return qualifiedOp.substring(qualifiedOp.lastIndexOf(':') + 1); }

    /** The non-blank lines of a classpath resource, '#' comments removed. */
    static List<String> lines(String resource) {
        InputStream in = OnnxOperators.class.getResourceAsStream(resource);
        if (in == null) throw new IllegalStateException("resource " + resource + " is missing from the kiln-cli jar");
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String content = line.replaceFirst("#.*", "").strip();
                if (!content.isEmpty()) lines.add(content);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + resource, e);
        }
        return lines;
    }
}
