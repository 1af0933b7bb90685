package dev.shoal.cli.command;

import dev.shoal.api.client.Transports;
import dev.shoal.cli.daemon.DaemonConfig;
import dev.shoal.cli.daemon.ExecutorChoice;
import dev.shoal.cli.daemon.LogSetup;
import dev.shoal.cli.daemon.ShoalDaemon;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code shoal daemon}: runs this node until SIGTERM or SIGINT, then stops it cleanly (tasks keep
 * running, to be re-adopted at the next start).
 */
@Command(name = "daemon", description = "Run a Shoal node: the control socket, the task executor and, in a swarm, the manager and the agent")
final class DaemonCommand implements Callable<Integer> {
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = DaemonConfig.DEFAULT_DATA_DIR,
            description = "Root directory of the node's state (default ${DEFAULT-VALUE})")
    private Path dataDir;

    @Option(names = "--socket", paramLabel = "PATH", defaultValue = Transports.DEFAULT_SOCKET,
            description = "Control socket to listen on (default ${DEFAULT-VALUE})")
    private Path socket;

    @Option(names = "--executor", paramLabel = "KIND", defaultValue = "auto", converter = ExecutorConverter.class,
            description = "Task executor: auto (docker if reachable, else process), docker or process (default ${DEFAULT-VALUE})")
    private ExecutorChoice executor;

    @Option(names = "--raft-port", paramLabel = "PORT", defaultValue = "" + DaemonConfig.DEFAULT_RAFT_PORT,
            description = "Raft port of a manager, bound on loopback for now (default ${DEFAULT-VALUE})")
    private int raftPort;

    @Option(names = "--hostname", paramLabel = "NAME", description = "Hostname this node reports (default: the machine's)")
    private String hostname;

    @Option(names = "--label", paramLabel = "KEY=VALUE",
            description = "An engine label of this node, for engine.labels.* placement constraints (repeatable)")
    private List<String> labels;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text", converter = FormatConverter.class,
            description = "Log format: text or json (default ${DEFAULT-VALUE})")
    private LogSetup.Format logFormat;

    @Option(names = {"-l", "--log-level"}, paramLabel = "LEVEL", defaultValue = "info", converter = LevelConverter.class,
            description = "Log level: debug, info, warn or error (default ${DEFAULT-VALUE})")
    private String logLevel;

    /** {@code KEY=VALUE} entries as a map; a bad entry is an error naming it, before anything starts. */
    static Map<String, String> engineLabels(List<String> entries) {
        Map<String, String> out = new LinkedHashMap<>();
        if (entries == null) {
            return out;
        }
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new CliException("invalid --label \"" + e + "\": must be KEY=VALUE with a non-empty KEY");
            }
            if (out.put(e.substring(0, eq), e.substring(eq + 1)) != null) {
                throw new CliException("invalid --label \"" + e + "\": the key " + e.substring(0, eq) + " is given twice");
            }
        }
        return out;
    }

    @Override
    public Integer call() {
        LogSetup.apply(logFormat, logLevel);
        Logger log = LoggerFactory.getLogger(DaemonCommand.class);
        if (raftPort < 1 || raftPort > 65535) {
            throw new CliException("invalid --raft-port " + raftPort + ": must be between 1 and 65535");
        }
        DaemonConfig config = DaemonConfig.defaults()
                .withDataDir(dataDir)
                .withSocket(socket)
                .withExecutor(executor)
                .withRaftPort(raftPort)
                .withHostname(hostname)
                .withLabels(engineLabels(labels));
        // The hook is in place before the daemon starts: a SIGTERM during start-up waits for the
        // start to finish, then closes what started.
        CompletableFuture<ShoalDaemon> started = new CompletableFuture<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ShoalDaemon d = started.join();
            if (d != null) {
                d.close();
            }
        }, "shoal-shutdown"));
        ShoalDaemon daemon;
        try {
            daemon = ShoalDaemon.start(config);
        } catch (RuntimeException e) {
            started.complete(null);
            // the log is the daemon's only output: one line, the stack trace at debug level
            log.error("failed to start daemon: {}", e.getMessage());
            log.debug("failed to start daemon", e);
            return ErrorHandlers.EXIT_FAILURE;
        }
        started.complete(daemon);
        log.info("daemon ready: node {} on {} (version {})", daemon.nodeId(), daemon.host(), dev.shoal.cli.ShoalVersion.version());
        daemon.terminated().join();
        return 0;
    }

    static final class ExecutorConverter implements ITypeConverter<ExecutorChoice> {
        @Override
        public ExecutorChoice convert(String value) {
            try {
                return ExecutorChoice.fromWire(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class FormatConverter implements ITypeConverter<LogSetup.Format> {
        @Override
        public LogSetup.Format convert(String value) {
            try {
                return LogSetup.format(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class LevelConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return LogSetup.level(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
