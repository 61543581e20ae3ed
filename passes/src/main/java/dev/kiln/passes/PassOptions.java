package dev.kiln.passes;

import java.nio.file.Path;
import java.util.Set;

/**
 * The pass manager's debugging flags: {@code --print-ir-after-all}, {@code --print-ir-after=NAME},
 * {@code --dump-dir DIR}, {@code --disable-pass NAME}, {@code --verify-each} and {@code --pass-stats}.
 */
public record PassOptions(boolean printAfterAll, Set<String> printAfter, Path dumpDir, Set<String> disabled,
                          boolean verifyEach, boolean stats) {
    public PassOptions {
        printAfter = Set.copyOf(printAfter);
        disabled = Set.copyOf(disabled);
    }

    public static PassOptions none() { return new PassOptions(false, Set.of(), null, Set.of(), false, false); }

    /** What tests use: the verifier after every pass. */
    public static PassOptions verifying() { return new PassOptions(false, Set.of(), null, Set.of(), true, false); }
}
