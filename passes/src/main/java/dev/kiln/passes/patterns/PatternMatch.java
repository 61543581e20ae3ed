package dev.kiln.passes.patterns;

import dev.kiln.ir.Node;

import java.util.List;

/**
 * A recognized pattern: the nodes it replaces (the last of which, in graph order, produces the pattern's result)
 * and the one node that replaces them, producing that same result value.
 */
public record PatternMatch(List<Node> replaced, Node replacement, String why) {
    public PatternMatch {
        replaced = List.copyOf(replaced);
    }
}
