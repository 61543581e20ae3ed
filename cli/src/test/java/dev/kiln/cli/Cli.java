package dev.kiln.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** Test support: runs {@code kiln args...} in-process and captures the exit code, stdout and stderr. */
record Cli(int code, String out, String err) {
    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Cli(code, out.toString(), err.toString());
    }

    List<String> errLines() { return err.lines().toList(); }

    List<String> outLines() { return out.lines().toList(); }

    @Override
    public String toString() { return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err; }
}
