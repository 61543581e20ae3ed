package dev.kiln.passes.patterns;

import dev.kiln.ir.Node;

/** One pattern of {@code recognize-patterns}: tries to match with {@code anchor} as its distinctive node. */
public interface PatternMatcher {
    /** The op the pattern produces, for statistics and messages. */
    String produces();

    /** A match anchored at {@code anchor}, or null; reports near misses through {@link PatternGraph#nearMiss}. */
    PatternMatch match(Node anchor, PatternGraph graph);
}
