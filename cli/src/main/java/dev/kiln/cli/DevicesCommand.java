package dev.kiln.cli;

import dev.kiln.runtime.Backends;
import dev.kiln.runtime.spi.Backend;
import dev.kiln.runtime.spi.Device;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code kiln devices}: every backend on the class path with its devices and whether they can be used here. */
@Command(name = "devices", description = "List the backends and their devices, with availability.")
final class DevicesCommand extends CommandBase implements Callable<Integer> {
    @Override
    public Integer call() {
        PrintWriter out = out();
        if (Backends.all().isEmpty()) {
            out.println("no backends on the class path");
            return 0;
        }
        for (Backend backend : Backends.all()) {
            out.println(backend.name() + " (speed rank " + backend.speedRank() + ")");
            if (backend.devices().isEmpty()) out.println("  no devices");
            for (Device d : backend.devices()) {
                String status = d.available() ? "available" : "unavailable: " + d.unavailableReason();
                out.println("  " + d.name() + "  " + status + "  " + d.description());
            }
        }
        return 0;
    }
}
