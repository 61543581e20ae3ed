package dev.kiln.cli;

import dev.kiln.runtime.Backends;
import dev.kiln.runtime.spi.Backend;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** What every kiln subcommand shares: {@code --verbose}, {@code --help}, its output streams. */
abstract class CommandBase {
    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", description = "Show stack traces with errors.")
    boolean verbose;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    PrintWriter out() { return spec.commandLine().getOut(); }

    PrintWriter err() { return spec.commandLine().getErr(); }

    /** A usage error (exit 2), reported as one line naming this command. */
    ParameterException usage(String message) { return new ParameterException(spec.commandLine(), message); }

    /** Fails with a usage error unless {@code file} is an existing regular file. */
    Path requireFile(Path file, String what) {
        if (!Files.exists(file)) throw usage(what + " " + file + ": no such file");
        if (!Files.isRegularFile(file)) throw usage(what + " " + file + ": not a file");
        return file;
    }

    /** Fails with a usage error unless {@code dir} is an existing directory. */
    Path requireDirectory(Path dir, String what) {
        if (!Files.isDirectory(dir)) throw usage(what + " " + dir + (Files.exists(dir) ? ": not a directory" : ": no such directory"));
        return dir;
    }

    /** Fails with a usage error when {@code device} (may be null: automatic choice) names no backend. */
    String knownDevice(String device) {
        if (device == null || Backends.all().stream().anyMatch(b -> b.name().equals(device))) return device;
        throw usage("unknown device '" + device + "' (known: "
                + String.join(", ", Backends.all().stream().map(Backend::name).toList()) + ")");
    }
}
