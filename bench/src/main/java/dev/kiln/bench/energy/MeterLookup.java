package dev.kiln.bench.energy;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of looking for an energy sensor: the meter, or the one-line reason there is none (which the
 * harness prints before falling back to {@link EnergyEstimator}).
 */
public record MeterLookup(Optional<EnergyMeter> meter, String reason) {
    public MeterLookup {
        Objects.requireNonNull(meter);
        if (meter.isEmpty() == (reason == null)) throw new IllegalArgumentException("a lookup has a meter or a reason, not both");
    }

    static MeterLookup found(EnergyMeter meter) { return new MeterLookup(Optional.of(meter), null); }

    static MeterLookup missing(String reason) { return new MeterLookup(Optional.empty(), reason); }
}
