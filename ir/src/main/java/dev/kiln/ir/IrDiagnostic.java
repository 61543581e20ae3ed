package dev.kiln.ir;

/**
 * One problem {@link IrVerifier} found. {@code graph} locates the graph: {@code @main} for the top level,
 * {@code @main/loop1.body} for a subgraph held by attribute {@code body} of node {@code loop1}.
 */
public record IrDiagnostic(String graph, String message) {
    @Override
    public String toString() { return graph + ": " + message; }
}
