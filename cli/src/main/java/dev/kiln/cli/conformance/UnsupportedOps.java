package dev.kiln.cli.conformance;

import dev.kiln.runtime.KilnException;

/** Tells "the model uses ops Kiln does not implement" (a skip) from other import failures (a fail). */
final class UnsupportedOps {
    private UnsupportedOps() {}

    /** The skip reason when {@code e} says the model's ops are not implemented; null otherwise. */
    static String reason(KilnException e) {
        return null;
    }
}
