package dev.kiln.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The {@code kiln} command's entry point. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = execute(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs {@code kiln args...} writing to the given streams; returns the exit code (0, 1 runtime error, 2 usage). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new KilnCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler(new ErrorHandlers.UsageErrors());
        cli.setExecutionExceptionHandler(new ErrorHandlers.RuntimeErrors());
        return cli.execute(args);
    }
}
