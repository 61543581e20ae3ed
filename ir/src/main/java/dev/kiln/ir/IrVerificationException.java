package dev.kiln.ir;

import java.util.List;

/** A graph failed {@link IrVerifier}; {@link #diagnostics()} lists every problem, the message names the first. */
public class IrVerificationException extends RuntimeException {
    private final List<IrDiagnostic> diagnostics;

    public IrVerificationException(List<IrDiagnostic> diagnostics) {
        super(summary(diagnostics));
        this.diagnostics = List.copyOf(diagnostics);
    }

    public List<IrDiagnostic> diagnostics() { return diagnostics; }

    private static String summary(List<IrDiagnostic> diagnostics) {
        if (diagnostics.isEmpty()) throw new IllegalArgumentException("no diagnostics");
        int more = diagnostics.size() - 1;
        return diagnostics.getFirst() + (more == 0 ? "" : " (and " + more + " more problem" + (more == 1 ? ")" : "s)"));
    }
}
