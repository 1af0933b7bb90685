package dev.shoal.cli.command;

import static dev.shoal.cli.command.DaemonConnection.await;
import static dev.shoal.cli.command.DaemonConnection.awaitAll;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.message.TaskFilter;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.Task;
import dev.shoal.cli.format.InspectFormat;
import dev.shoal.cli.format.Listing;
import dev.shoal.cli.format.ServicePretty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code shoal service}: create, inspect, ls, ps, rm, rollback, scale, update. */
@Command(name = "service", description = "Manage Swarm services",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            ServiceCreateCommand.class,
            ServiceCommand.Inspect.class,
            ServiceCommand.Ls.class,
            ServicePsCommand.class,
            ServiceCommand.Rm.class,
            ServiceRollbackCommand.class,
            ServiceScaleCommand.class,
            ServiceUpdateCommand.class,
        })
final class ServiceCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        Usage.print(spec);
    }

    @Command(name = "ls", aliases = "list", description = "List services")
    static final class Ls implements Callable<Integer> {
        private static final Set<String> FILTERS = Set.of("id", "name", "label", "mode");

        @Mixin
        private DaemonConnection daemon;

        @Spec
        private CommandSpec spec;

        @Option(names = {"-f", "--filter"}, paramLabel = "FILTER",
                description = "Filter output based on conditions provided: id=ID, name=NAME, label=KEY[=VALUE], mode=replicated|global|replicated-job|global-job")
        private List<String> filters = new ArrayList<>();

        @Option(names = "--format", paramLabel = "FORMAT",
                description = "Format output: 'table' (default), 'json', or a Go-style template such as 'table {{.Name}}\\t{{.Replicas}}'")
        private String format;

        @Option(names = {"-q", "--quiet"}, description = "Only display IDs")
        private boolean quiet;

        @Override
        public Integer call() {
            Filters f = Filters.parse(spec, filters, FILTERS);
            try (ShoalClient client = daemon.connect()) {
                List<Service> services = new ArrayList<>(awaitAll(client.serviceList()));
                services.removeIf(s -> !f.matches("id", v -> s.id().value().startsWith(v))
                        || !f.matches("name", v -> s.spec().name().startsWith(v))
                        || !f.matches("mode", v -> s.spec().modeKind().cliName().equals(v))
                        || !f.matches("label", v -> hasLabel(s, v)));
                services.sort(Comparator.comparing((Service s) -> s.spec().name()));
                if (quiet) {
                    daemon.output().printLines(services.stream().map(s -> s.id().value()).toList());
                    return 0;
                }
                Set<String> upNodes = awaitAll(client.nodeList()).stream()
                        .filter(ServicePsCommand::isUp).map((Node n) -> n.id().value()).collect(Collectors.toSet());
                List<Task> tasks = awaitAll(client.taskList(TaskFilter.ALL));
                Listing listing = ServiceRows.services(services, tasks, upNodes, false);
                daemon.output().printLines(FormatOption.render(() -> listing.render(format)));
            }
            return 0;
        }

        private static boolean hasLabel(Service s, String filter) {
            Map<String, String> labels = s.spec().labels() == null ? Map.of() : s.spec().labels();
            int eq = filter.indexOf('=');
            return eq < 0 ? labels.containsKey(filter) : filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
        }
    }

    @Command(name = "inspect", description = "Display detailed information on one or more services")
    static final class Inspect implements Callable<Integer> {
        @Mixin
        private DaemonConnection daemon;

        @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
                description = "Format output: 'json', 'pretty', or a Go-style template such as '{{.Spec.Name}}'")
        private String format;

        @Option(names = "--pretty", description = "Print the information in a human friendly format")
        private boolean pretty;

        @Parameters(arity = "1..*", paramLabel = "SERVICE", description = "Service name, id or id prefix")
        private List<String> refs;

        @Override
        public Integer call() {
            try (ShoalClient client = daemon.connect()) {
                List<Service> services = new ArrayList<>();
                for (String ref : refs) {
                    services.add(await(client.serviceInspect(ref)));
                }
                if (pretty || (format != null && format.strip().equals("pretty"))) {
                    Instant now = daemon.context().clock().instant();
                    for (int i = 0; i < services.size(); i++) {
                        if (i > 0) {
                            daemon.output().println("");
                        }
                        daemon.output().printLines(ServicePretty.render(services.get(i), now));
                    }
                    return 0;
                }
                daemon.output().printLines(FormatOption.render(() -> InspectFormat.render(services, format)));
            }
            return 0;
        }
    }

    @Command(name = "rm", aliases = "remove", description = "Remove one or more services")
    static final class Rm implements Callable<Integer> {
        @Mixin
        private DaemonConnection daemon;

        @Parameters(arity = "1..*", paramLabel = "SERVICE", description = "Service name, id or id prefix")
        private List<String> refs;

        @Override
        public Integer call() {
            return daemon.forEach(refs, (client, ref) -> client.serviceRemove(ref));
        }
    }
}
