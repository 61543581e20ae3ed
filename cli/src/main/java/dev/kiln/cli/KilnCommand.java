package dev.kiln.cli;

import dev.kiln.runtime.Kiln;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code kiln} command: only dispatches to its subcommands. */
@Command(name = "kiln",
        description = "Compile and run trained neural networks.",
        mixinStandardHelpOptions = true,
        versionProvider = KilnCommand.Version.class,
        subcommands = {RunCommand.class, CompileCommand.class, InspectCommand.class, ConformanceCommand.class, SupportMatrixCommand.class,
                PassesCommand.class, DevicesCommand.class, DemoCommand.class, BenchCommand.class, EstimateCommand.class,
                QuantizeReportCommand.class, CommandLine.HelpCommand.class})
final class KilnCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"kiln " + Kiln.VERSION + " (Java " + Runtime.version() + ")"};
        }
    }
}
