package dev.kiln.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KilnCommandTest {
    @Test
    void printsTheVersion() {
        Cli r = Cli.run("--version");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("kiln "), r.out());
    }

    @Test
    void noCommandIsAUsageError() {
        Cli r = Cli.run();
        assertEquals(2, r.code(), r.toString());
        assertEquals(List.of("kiln: missing command (see 'kiln --help')"), r.errLines());
    }

    @Test
    void anUnknownFlagIsOneLine() {
        Cli r = Cli.run("devices", "--colour");
        assertEquals(2, r.code(), r.toString());
        assertEquals(List.of("kiln devices: Unknown option: '--colour' (see 'kiln devices --help')"), r.errLines());
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "inspect", "conformance", "support-matrix", "devices", "demo"})
    void everyCommandHasHelp(String command) {
        Cli r = Cli.run(command, "--help");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("Usage: kiln " + command), r.out());
        assertTrue(r.out().contains("--verbose"), r.out());
    }

    @Test
    void devicesListsTheBackendsFastestFirst() {
        Cli r = Cli.run("devices");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("cpu (speed rank 10)\n  cpu  available  "), r.out());
        assertTrue(r.out().contains("\nref (speed rank 0)\n  ref  available  "), r.out());
    }
}
