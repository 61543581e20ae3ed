package dev.kiln.frontend.onnx;

/**
 * Bounds that keep a malformed or hostile file from exhausting the stack or the heap. Real models stay far below
 * them: control flow nests a handful of levels, and protobuf itself cannot hold a message past 2 GiB.
 */
final class ImportLimits {
    private ImportLimits() {}

    /**
     * Nesting of protobuf messages while parsing. Each level of subgraph costs three (graph, node, attribute), so
     * this admits about 60 levels of control flow before the parser stops with an error instead of a stack overflow.
     */
    static final int PROTO_RECURSION_LIMIT = 200;

    /** Nesting of subgraphs (If inside Loop inside ...), checked again while converting. */
    static final int MAX_SUBGRAPH_DEPTH = 48;

    /** Nesting of model-local function calls while inlining; deeper means a function (indirectly) calls itself. */
    static final int MAX_FUNCTION_DEPTH = 32;

    /** Largest protobuf file: the format's own limit (2 GiB); bigger models keep their weights in external data. */
    static final long MAX_PROTO_BYTES = Integer.MAX_VALUE;
}
