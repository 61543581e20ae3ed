package dev.kiln.cli.conformance;

import dev.kiln.frontend.onnx.UnsupportedOpsException;
import dev.kiln.runtime.KilnException;

import java.util.List;

/** Tells "the model uses ops Kiln does not implement" (a skip) from other import failures (a fail). */
final class UnsupportedOps {
    private UnsupportedOps() {}

    /** The ops Kiln does not implement when that is why {@code e} was thrown; null for any other failure. */
    static List<String> of(KilnException e) {
        return e instanceof UnsupportedOpsException u ? u.ops() : null;
    }
}
