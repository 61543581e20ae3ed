package dev.kiln.backend.opencl.offline;

import dev.kiln.backend.opencl.render.RenderOptions;
import dev.kiln.backend.opencl.render.Streaming;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The manifest survives JSON, and a damaged manifest fails with one line naming the file and the field. */
class ManifestJsonTest {
    private static final HostManifest MANIFEST = TinyCnn.manifest(TinyCnn.graph(), "fpga:test-part")
            .withFiles(java.util.Map.of("kiln.weights.bin", "0123abcd"));

    @Test
    void roundTrips() {
        String json = ManifestJson.write(MANIFEST);
        assertEquals(MANIFEST, ManifestJson.read(json, "kiln.manifest.json"));
        assertTrue(json.contains("\"format\": \"" + HostManifest.FORMAT + "\""), json);
        assertTrue(json.contains("\"byte_order\": \"little-endian\""), json);
    }

    @Test
    void perNodeUnrollFactorsAndStreamingSurvive() {
        RenderOptions explored = new RenderOptions(8, 16384, java.util.Map.of("conv", 2, "fc", 16), Streaming.CHANNELS, 128);
        HostManifest m = PlanManifest.of(TinyCnn.plan(TinyCnn.graph()), explored, "fpga:test-part");
        assertEquals(explored, ManifestJson.read(ManifestJson.write(m), "m.json").render());
    }

    @Test
    void aMissingFieldIsNamedWithItsPath() {
        String json = ManifestJson.write(MANIFEST).replaceFirst("\"node\": \"conv\",?", "");
        KilnException e = assertThrows(KilnException.class, () -> ManifestJson.read(json, "dir/kiln.manifest.json"));
        assertEquals("dir/kiln.manifest.json: kernels[0].node is missing", e.getMessage());
    }

    @Test
    void aWrongKindOrFormatOrNonJsonIsRefused() {
        String json = ManifestJson.write(MANIFEST);
        assertEquals("m.json: weights.bytes is not an integer", assertThrows(KilnException.class,
                () -> ManifestJson.read(json.replaceFirst("\"bytes\": (\\d+),\\n  *\"slices\"", "\"bytes\": \"$1\",\n\"slices\""), "m.json")).getMessage());
        assertTrue(assertThrows(KilnException.class, () -> ManifestJson.read(json.replace(HostManifest.FORMAT, "other/9"), "m.json"))
                .getMessage().startsWith("m.json: manifest format 'other/9', this Kiln reads"));
        assertTrue(assertThrows(KilnException.class, () -> ManifestJson.read("{\"format\": ", "m.json"))
                .getMessage().startsWith("m.json: not a JSON host manifest: "));
        assertEquals("m.json: buffers[0].role is 'input-ish', not one of [input, weight, output, intermediate, pipe]", assertThrows(KilnException.class,
                () -> ManifestJson.read(json.replaceFirst("\"role\": \"input\"", "\"role\": \"input-ish\""), "m.json")).getMessage());
    }
}
