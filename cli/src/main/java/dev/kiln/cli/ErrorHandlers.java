package dev.kiln.cli;

import dev.kiln.runtime.KilnException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Turns exceptions into exit codes and ONE line on stderr each: usage errors (bad flags, missing files named on the
 * command line) exit 2, model and runtime errors exit 1. {@code --verbose} adds the stack trace.
 */
final class ErrorHandlers {
    static final int RUNTIME_ERROR = 1;
    static final int USAGE_ERROR = 2;

    private ErrorHandlers() {}

    static final class UsageErrors implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            String name = cmd.getCommandSpec().qualifiedName();
            err.println(name + ": " + oneLine(ex.getMessage()) + " (see '" + name + " --help')");
            if (verbose(cmd)) ex.printStackTrace(err);
            err.flush();
            return USAGE_ERROR;
        }
    }

    static final class RuntimeErrors implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
            PrintWriter err = cmd.getErr();
            boolean verbose = verbose(cmd);
            err.println(cmd.getCommandSpec().qualifiedName() + ": " + describe(ex, verbose));
            if (verbose) ex.printStackTrace(err);
            err.flush();
            return RUNTIME_ERROR;
        }
    }

    /** The message users see: Kiln's own errors as they are, anything else with its type and a pointer to --verbose. */
    static String describe(Throwable ex, boolean verbose) {
        if (ex instanceof KilnException || ex instanceof UncheckedIOException) return oneLine(ex.getMessage());
        String hint = verbose ? "" : " (run with --verbose for the stack trace)";
        return "internal error: " + ex.getClass().getSimpleName()
                + (ex.getMessage() == null ? "" : ": " + oneLine(ex.getMessage())) + hint;
    }

    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    private static boolean verbose(CommandLine cmd) {
        return cmd.getCommand() instanceof CommandBase base && base.verbose;
    }
}
