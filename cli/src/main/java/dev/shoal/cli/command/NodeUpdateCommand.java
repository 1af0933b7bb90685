package dev.shoal.cli.command;

import static dev.shoal.cli.command.DaemonConnection.await;

import dev.shoal.api.Routes;
import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.message.NodeUpdateRequest;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal node update [OPTIONS] NODE}: reads the node's spec and version, applies the flags in
 * Docker's order (role, availability, labels added, labels removed) and sends the whole spec back
 * quoting that version; a concurrent change makes the daemon refuse it ("update out of sequence").
 */
@Command(name = "update", description = "Update a node")
final class NodeUpdateCommand implements Callable<Integer> {
    @Mixin
    private DaemonConnection daemon;

    @Option(names = "--availability", paramLabel = "AVAILABILITY",
            description = "Availability of the node (\"active\"|\"pause\"|\"drain\")")
    private NodeSpec.Availability availability;

    @Option(names = "--label-add", paramLabel = "KEY=VALUE", converter = Converters.NodeLabelConverter.class,
            description = "Add or update a node label (key=value)")
    private List<String> labelAdd = new ArrayList<>();

    @Option(names = "--label-rm", paramLabel = "KEY", description = "Remove a node label if exists")
    private List<String> labelRm = new ArrayList<>();

    @Option(names = "--role", paramLabel = "ROLE", description = "Role of the node (\"worker\"|\"manager\")")
    private NodeSpec.Role role;

    @Parameters(index = "0", paramLabel = "NODE", description = "Node id, id prefix or hostname; 'self' for this node")
    private String ref;

    @Override
    public Integer call() {
        try (ShoalClient client = daemon.connect()) {
            update(client, ref, node -> apply(spec(node)));
            daemon.output().println(ref);
        }
        return 0;
    }

    private NodeSpec apply(NodeSpec current) {
        Map<String, String> labels = new LinkedHashMap<>(current.labels() == null ? Map.of() : current.labels());
        Map<String, String> added = KeyValues.labels(labelAdd);
        if (added != null) {
            labels.putAll(added);
        }
        for (String key : labelRm) {
            if (!labels.containsKey(key)) {
                throw new CliException("key " + key + " doesn't exist in node's labels");
            }
            labels.remove(key);
        }
        return new NodeSpec(current.name(), labels,
                role != null ? role : current.role(),
                availability != null ? availability : current.availability());
    }

    /**
     * Reads node {@code ref}, lets {@code change} compute its new spec, and writes it quoting the
     * version read. A null spec from {@code change} means nothing to change: nothing is sent.
     *
     * @return whether an update was sent
     */
    static boolean update(ShoalClient client, String ref, Function<Node, NodeSpec> change) {
        for (int attempt = 1; ; attempt++) {
            Node node = await(client.nodeInspect(ref));
            NodeSpec next = change.apply(node);
            if (next == null) {
                return false;
            }
            try {
                await(client.call(Routes.NODE_UPDATE, new NodeUpdateRequest(node.id().value(), node.version().index(), next), Node.class));
                return true;
            } catch (ApiException e) {
                // the node's status (ready, down) moves its version too: read it again and reapply the change
                if (e.code() != ErrorCode.CONFLICT || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** How many times a change is reapplied when the node changed between the read and the write. */
    static final int MAX_ATTEMPTS = 3;

    /** The node's spec; an empty one for a node stored without. */
    static NodeSpec spec(Node node) {
        return node.spec() == null ? new NodeSpec(null, null, null, null) : node.spec();
    }

    static NodeSpec withRole(NodeSpec spec, NodeSpec.Role role) {
        return new NodeSpec(spec.name(), spec.labels(), role, spec.availability());
    }
}
