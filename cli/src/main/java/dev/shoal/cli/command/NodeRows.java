package dev.shoal.cli.command;

import dev.shoal.api.model.Node;
import dev.shoal.cli.format.HumanTime;
import dev.shoal.cli.format.Listing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The rows of {@code node ls}: Docker's columns and field names. */
final class NodeRows {
    private NodeRows() {}

    static Listing listing(List<Node> nodes, String selfId) {
        Listing listing = Listing.of(
                Listing.column("ID", "ID", row -> row.get("ID") + (Boolean.TRUE.equals(row.get("Self")) ? " *" : "")),
                Listing.column("Hostname", "HOSTNAME"),
                Listing.column("Status", "STATUS"),
                Listing.column("Availability", "AVAILABILITY"),
                Listing.column("ManagerStatus", "MANAGER STATUS"),
                Listing.column("EngineVersion", "ENGINE VERSION"));
        for (Node n : nodes) {
            boolean self = n.id().value().equals(selfId);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("ID", n.id().value());
            row.put("Hostname", hostname(n));
            row.put("Status", n.status() == null ? "Unknown" : HumanTime.title(n.status().state().wireName()));
            row.put("Availability", n.spec() == null || n.spec().availability() == null
                    ? "" : HumanTime.title(n.spec().availability().wireName()));
            row.put("ManagerStatus", managerStatus(n));
            row.put("EngineVersion", n.description() == null || n.description().engine() == null
                    ? "" : n.description().engine().engineVersion());
            row.put("Self", self);
            listing.row(row);
        }
        return listing;
    }

    static String hostname(Node n) {
        return n.description() == null || n.description().hostname() == null ? "" : n.description().hostname();
    }

    static String managerStatus(Node n) {
        if (n.managerStatus() == null) {
            return "";
        }
        if (n.managerStatus().leader()) {
            return "Leader";
        }
        return HumanTime.title(n.managerStatus().reachability());
    }
}
