package dev.kiln.backend.opencl;

import dev.kiln.backend.opencl.render.RenderOptions;
import dev.kiln.backend.opencl.render.Streaming;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-layer choices the kernels leave open for the hardware. */
class RenderOptionsTest {
    @Test
    void unrollTakesTheLargestFactorThatDividesTheTripCount() {
        RenderOptions options = new RenderOptions(8, 1024, Map.of());
        assertEquals(8, options.unroll("a", 64));
        assertEquals(6, options.unroll("a", 36));
        assertEquals(7, options.unroll("a", 7));
        assertEquals(1, options.unroll("a", 11));
        assertEquals(3, options.unroll("a", 3));
    }

    @Test
    void aPerLayerChoiceOverridesTheRule() {
        assertEquals(16, new RenderOptions(8, 1024, Map.of("conv1", 16)).unroll("conv1", 64));
    }

    @Test
    void weightsFitOnChipWithinTheLayersShare() {
        RenderOptions options = RenderOptions.defaults(1 << 20);
        assertTrue(options.fitsOnChip(8 * 1024));
        assertFalse(options.fitsOnChip(8 * 1024 + 1));
        assertFalse(RenderOptions.defaults(16 * 1024).fitsOnChip(4 * 1024));
    }

    @Test
    void streamingIsChosenFromTheDeviceOrSetExplicitly() {
        assertEquals(Streaming.CHANNELS, Streaming.forDevice(true, true));
        assertEquals(Streaming.PIPES, Streaming.forDevice(false, true));
        assertEquals(Streaming.GLOBAL, Streaming.forDevice(false, false));
        RenderOptions options = new RenderOptions(4, 1024, Map.of("conv1", 2)).withStreaming(Streaming.CHANNELS);
        assertEquals(new RenderOptions(4, 1024, Map.of("conv1", 2), Streaming.CHANNELS, RenderOptions.DEFAULT_STREAM_DEPTH), options);
        assertEquals(Streaming.GLOBAL, RenderOptions.defaults(1 << 20).streaming());
        assertThrows(IllegalArgumentException.class, () -> new RenderOptions(4, 1024, Map.of(), Streaming.PIPES, 0));
    }

    @Test
    void whatIsAlreadyOnChipLeavesLessRoom() {
        RenderOptions options = new RenderOptions(8, 1024, Map.of());
        assertTrue(options.fitsOnChip(128, 512));
        assertFalse(options.fitsOnChip(129, 512));
    }
}
