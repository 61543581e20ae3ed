package dev.kiln.cli;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.runtime.InputException;
import dev.kiln.runtime.io.TensorFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code --input} values of {@code kiln run}: {@code NAME=FILE}, or a bare {@code FILE} for a model with one
 * input. A value that is itself an existing file is a bare file even when its name contains '='.
 */
record InputBindings(Map<String, Path> named, List<Path> unnamed) {
    /** Splits the specs; files that do not exist are usage errors, raised through {@code usage}. */
    static InputBindings parse(List<String> specs, Function<String, RuntimeException> usage) {
        Map<String, Path> named = new LinkedHashMap<>();
        List<Path> unnamed = new java.util.ArrayList<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || Files.isRegularFile(Path.of(spec))) {
                unnamed.add(existing(Path.of(spec), usage));
                continue;
            }
            String name = spec.substring(0, eq);
            if (named.put(name, existing(Path.of(spec.substring(eq + 1)), usage)) != null) {
                throw usage.apply("input '" + name + "' is given twice");
            }
        }
        return new InputBindings(named, unnamed);
    }

    /** Reads every file as the type the model declares for its input; unknown names fail naming the input. */
    Map<String, RuntimeValue> read(Graph graph) {
        Map<String, Value> declared = new LinkedHashMap<>();
        for (Value v : graph.inputs()) declared.put(v.name(), v);
        Map<String, Path> files = new LinkedHashMap<>(named);
        if (!unnamed.isEmpty()) {
            if (unnamed.size() > 1 || declared.size() != 1 || !named.isEmpty()) {
                throw new InputException("--input FILE without a name needs a model with exactly one input; this one has "
                        + declared.size() + " (" + String.join(", ", declared.keySet()) + "): use --input NAME=FILE");
            }
            files.put(declared.keySet().iterator().next(), unnamed.getFirst());
        }
        Map<String, RuntimeValue> values = new LinkedHashMap<>();
        files.forEach((name, file) -> {
            Value input = declared.get(name);
            if (input == null) {
                throw new InputException("unknown input '" + name + "' (model inputs: " + String.join(", ", declared.keySet()) + ")");
            }
            values.put(name, TensorFiles.read(file, input.type()));
        });
        return values;
    }

    private static Path existing(Path file, Function<String, RuntimeException> usage) {
        if (!Files.exists(file)) throw usage.apply("input file " + file + ": no such file");
        if (!Files.isRegularFile(file)) throw usage.apply("input file " + file + ": not a file");
        return file;
    }
}
