package dev.kiln.ir.ops;

import java.util.List;

/**
 * A group of related op schemas (elementwise, convolution, shape manipulation, ...). The families are listed in
 * {@code META-INF/services/dev.kiln.ir.ops.OpFamily}; {@link OpRegistry} collects them.
 */
public interface OpFamily {
    List<OpSchema> schemas();
}
