package dev.shoal.cli.command;

import dev.shoal.cli.ShoalVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code shoal}: the root command. Holds the global {@code -H/--host} flag and the
 * {@link CliContext}; subcommands reach both through {@link DaemonConnection}.
 */
@Command(name = "shoal",
        description = "Swarm-mode container orchestration on the JVM.",
        synopsisSubcommandLabel = "COMMAND",
        versionProvider = ShoalCommand.Version.class,
        subcommands = {
            DaemonCommand.class,
            SwarmCommand.class,
            NodeCommand.class,
            ServiceCommand.class,
            InfoCommand.class,
            VersionCommand.class,
        },
        footer = {"", "Run 'shoal COMMAND --help' for more information on a command."})
public final class ShoalCommand implements Runnable {
    @Option(names = {"-H", "--host"}, paramLabel = "HOST",
            description = "Daemon socket to connect to: unix:///path or tcp://host:port "
                    + "(default: $SHOAL_HOST, else unix:///var/run/shoal/shoal.sock)")
    private String host;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Print usage")
    private boolean help;

    @Option(names = {"-v", "--version"}, versionHelp = true, description = "Print version information and quit")
    private boolean version;

    @Spec
    private CommandSpec spec;

    private final CliContext context;

    public ShoalCommand(CliContext context) {
        this.context = context;
    }

    CliContext context() {
        return context;
    }

    String host() {
        return host;
    }

    @Override
    public void run() {
        spec.commandLine().usage(context.output().out());
        context.output().out().flush();
    }

    /** {@code shoal -v}: one line, as {@code docker -v}. */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Shoal version " + ShoalVersion.version()};
        }
    }
}
