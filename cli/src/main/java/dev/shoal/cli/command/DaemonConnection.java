package dev.shoal.cli.command;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.client.Transports;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.cli.console.Output;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Mixed into every command that talks to a daemon: finds the address ({@code -H/--host}, else
 * {@code SHOAL_HOST}, else the default socket), connects, and waits for replies with a timeout so
 * that the CLI never hangs on a silent daemon.
 */
@Command
public final class DaemonConnection {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Long enough for {@code swarm init}, which starts a Raft group. */
    static final Duration REPLY_TIMEOUT = Duration.ofMinutes(2);

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    private ShoalCommand root() {
        return (ShoalCommand) mixee.root().userObject();
    }

    public CliContext context() {
        return root().context();
    }

    public Output output() {
        return context().output();
    }

    /** The daemon address this command talks to. */
    public String host() {
        return hostOf(root().host(), context().env());
    }

    static String hostOf(String flag, Map<String, String> env) {
        if (flag != null && !flag.isBlank()) {
            return flag;
        }
        String fromEnv = env.get("SHOAL_HOST");
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv : Transports.DEFAULT_HOST;
    }

    /**
     * Connects to the daemon.
     *
     * @throws CliException naming the address when nothing answers there
     */
    public ShoalClient connect() {
        String host = host();
        checkSocketFile(host);
        try {
            return ShoalClient.connectNow(host, CONNECT_TIMEOUT);
        } catch (ApiException e) {
            if (e.code() == ErrorCode.UNAVAILABLE) {
                throw new CliException(e.getMessage());
            }
            throw new CliException("invalid --host: " + e.getMessage());
        }
    }

    /** The two usual reasons a unix socket cannot be reached, said as Docker says them. */
    private static void checkSocketFile(String host) {
        if (!host.startsWith("unix://")) {
            return;
        }
        Path socket = Path.of(host.substring("unix://".length()));
        if (!Files.exists(socket)) {
            throw new CliException("Cannot connect to the Shoal daemon at " + host + ". Is the shoal daemon running?");
        }
        if (!Files.isReadable(socket) || !Files.isWritable(socket)) {
            throw new CliException("permission denied while trying to connect to the Shoal daemon socket at " + host);
        }
    }

    /** Waits for a reply; a daemon that stays silent is a {@link CliException}. */
    public static <T> T await(Mono<T> reply) {
        try {
            return reply.block(REPLY_TIMEOUT);
        } catch (IllegalStateException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Timeout on blocking read")) {
                throw new CliException("the daemon did not answer within " + REPLY_TIMEOUT.toSeconds() + " seconds");
            }
            throw e;
        }
    }

    /** Collects a stream; a daemon that stays silent is a {@link CliException}. */
    public static <T> java.util.List<T> awaitAll(Flux<T> stream) {
        return await(stream.collectList());
    }

    /**
     * Runs {@code action} for each reference, printing it on success and Docker's error line on
     * failure; a failure does not stop the others and makes the exit code 1. For the {@code rm} commands.
     */
    int forEach(List<String> refs, java.util.function.BiFunction<ShoalClient, String, Mono<?>> action) {
        int exit = 0;
        try (ShoalClient client = connect()) {
            for (String ref : refs) {
                try {
                    await(action.apply(client, ref));
                    output().println(ref);
                } catch (ApiException e) {
                    output().error("Error response from daemon: " + e.getMessage());
                    exit = ErrorHandlers.EXIT_FAILURE;
                }
            }
        }
        return exit;
    }
}
