package dev.shoal.cli.command;

import dev.shoal.api.model.Service;
import dev.shoal.api.model.Task;
import dev.shoal.cli.format.HumanTime;
import dev.shoal.cli.format.Listing;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The rows of {@code service ls} and {@code service ps}: Docker's columns and field names. */
final class ServiceRows {
    /** Docker cuts errors in {@code service ps} to this many characters unless --no-trunc. */
    static final int MAX_ERROR_LENGTH = 30;
    static final String HISTORY_PREFIX = " \\_ ";

    private ServiceRows() {}

    /** {@code service ls}: running counts are per service id. */
    static Listing services(List<Service> services, Map<String, Long> runningByService, boolean noTrunc) {
        Listing listing = Listing.of(
                Listing.column("ID", "ID"),
                Listing.column("Name", "NAME"),
                Listing.column("Mode", "MODE"),
                Listing.column("Replicas", "REPLICAS"),
                Listing.column("Image", "IMAGE"),
                Listing.column("Ports", "PORTS"));
        for (Service s : services) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("ID", noTrunc ? s.id().value() : s.id().shortForm());
            row.put("Name", s.spec().name());
            row.put("Mode", "replicated");
            row.put("Replicas", runningByService.getOrDefault(s.id().value(), 0L) + "/" + s.spec().replicas());
            row.put("Image", image(imageOf(s), noTrunc));
            row.put("Ports", "");
            listing.row(row);
        }
        return listing;
    }

    /**
     * {@code service ps}: tasks already sorted by service, slot, newest first; the first task of a
     * slot is the slot's current one, the others are its history and get the {@code \_ } prefix.
     */
    static Listing tasks(List<Task> sorted, Map<String, String> hostnames, Instant now, boolean noTrunc) {
        Listing listing = Listing.of(
                Listing.column("ID", "ID"),
                Listing.column("Name", "NAME"),
                Listing.column("Image", "IMAGE"),
                Listing.column("Node", "NODE"),
                Listing.column("DesiredState", "DESIRED STATE"),
                Listing.column("CurrentState", "CURRENT STATE"),
                Listing.column("Error", "ERROR"),
                Listing.column("Ports", "PORTS"));
        String previousSlot = null;
        for (Task t : sorted) {
            String name = t.serviceName() + "." + t.slot();
            String slotKey = t.serviceId().value() + "." + t.slot();
            boolean history = slotKey.equals(previousSlot);
            previousSlot = slotKey;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("ID", noTrunc ? t.id().value() : t.id().shortForm());
            row.put("Name", history ? HISTORY_PREFIX + name : name);
            row.put("Image", image(t.spec() == null || t.spec().containerSpec() == null ? null : t.spec().containerSpec().image(), noTrunc));
            row.put("Node", t.nodeId() == null ? "" : hostnames.getOrDefault(t.nodeId().value(), t.nodeId().value()));
            row.put("DesiredState", t.desiredState() == null ? "" : HumanTime.title(t.desiredState().wireName()));
            row.put("CurrentState", t.status() == null ? ""
                    : HumanTime.title(t.status().state().wireName()) + " " + HumanTime.ago(t.status().timestamp(), now));
            row.put("Error", error(t.status() == null ? null : t.status().err(), noTrunc));
            row.put("Ports", "");
            listing.row(row);
        }
        return listing;
    }

    static String imageOf(Service s) {
        return s.spec().taskTemplate() == null || s.spec().taskTemplate().containerSpec() == null
                ? null : s.spec().taskTemplate().containerSpec().image();
    }

    /** The image without its digest, unless --no-trunc (as Docker). */
    static String image(String image, boolean noTrunc) {
        if (image == null) {
            return "";
        }
        int at = image.indexOf('@');
        return noTrunc || at < 0 ? image : image.substring(0, at);
    }

    /** {@code "<error>"}, quoted and cut to 30 characters unless --no-trunc (as Docker). */
    static String error(String err, boolean noTrunc) {
        if (err == null || err.isBlank()) {
            return "";
        }
        String oneLine = err.replace('\n', ' ');
        if (!noTrunc && oneLine.length() > MAX_ERROR_LENGTH) {
            oneLine = oneLine.substring(0, MAX_ERROR_LENGTH - 1) + "…";
        }
        return "\"" + oneLine + "\"";
    }
}
