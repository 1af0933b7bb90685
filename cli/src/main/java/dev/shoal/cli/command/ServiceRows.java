package dev.shoal.cli.command;

import dev.shoal.api.model.EndpointSpec;
import dev.shoal.api.model.Placement;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.Version;
import dev.shoal.cli.format.HumanTime;
import dev.shoal.cli.format.Listing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The rows of {@code service ls} and {@code service ps}: Docker's columns and field names. */
final class ServiceRows {
    /** Docker cuts errors in {@code service ps} to this many characters unless --no-trunc. */
    static final int MAX_ERROR_LENGTH = 30;
    static final String HISTORY_PREFIX = " \\_ ";

    private ServiceRows() {}

    /**
     * {@code service ls}. {@code tasks} are the tasks of every service; only those on
     * {@code upNodes} count as running. MODE and REPLICAS read as Docker's: {@code replicated 3/3},
     * {@code replicated 2/2 (max 1 per node)}, {@code global 4/4}, {@code replicated job
     * 1/2 (3/5 completed)}, {@code global job 0/0 (3/3 completed)}.
     */
    static Listing services(List<Service> services, List<Task> tasks, Set<String> upNodes, boolean noTrunc) {
        Listing listing = Listing.of(
                Listing.column("ID", "ID"),
                Listing.column("Name", "NAME"),
                Listing.column("Mode", "MODE"),
                Listing.column("Replicas", "REPLICAS"),
                Listing.column("Image", "IMAGE"),
                Listing.column("Ports", "PORTS"));
        Map<String, List<Task>> byService = new HashMap<>();
        for (Task t : tasks) {
            byService.computeIfAbsent(t.serviceId().value(), k -> new ArrayList<>()).add(t);
        }
        for (Service s : services) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("ID", noTrunc ? s.id().value() : s.id().shortForm());
            row.put("Name", s.spec().name());
            row.put("Mode", modeName(s.spec().modeKind()));
            row.put("Replicas", replicas(s, byService.getOrDefault(s.id().value(), List.of()), upNodes));
            row.put("Image", image(imageOf(s), noTrunc));
            row.put("Ports", ports(s));
            listing.row(row);
        }
        return listing;
    }

    /** Docker's MODE column: {@code replicated}, {@code global}, {@code replicated job}, {@code global job}. */
    static String modeName(ServiceMode.Kind kind) {
        return kind.cliName().replace('-', ' ');
    }

    /** Docker's REPLICAS column for one service. */
    static String replicas(Service s, List<Task> tasks, Set<String> upNodes) {
        long running = tasks.stream()
                .filter(t -> t.status() != null && t.status().state() == TaskState.RUNNING && t.desiredState() == TaskState.RUNNING)
                .filter(t -> t.nodeId() != null && upNodes.contains(t.nodeId().value()))
                .count();
        ServiceSpec spec = s.spec();
        return switch (spec.modeKind()) {
            case REPLICATED -> {
                Placement p = spec.taskTemplate() == null ? null : spec.taskTemplate().placement();
                long max = p == null || p.maxReplicas() == null ? 0 : p.maxReplicas();
                yield running + "/" + spec.replicas() + (max > 0 ? " (max " + max + " per node)" : "");
            }
            case GLOBAL -> {
                long desired = tasks.stream().filter(t -> t.desiredState() == TaskState.RUNNING)
                        .filter(t -> t.nodeId() != null && upNodes.contains(t.nodeId().value())).count();
                yield running + "/" + desired;
            }
            case REPLICATED_JOB, GLOBAL_JOB -> {
                Version iteration = s.jobStatus() == null ? null : s.jobStatus().jobIteration();
                List<Task> run = tasks.stream()
                        .filter(t -> iteration == null || t.jobIteration() == null || iteration.equals(t.jobIteration())).toList();
                long completed = run.stream().filter(t -> t.status() != null && t.status().state() == TaskState.COMPLETE).count();
                long total;
                long desired;
                if (spec.modeKind() == ServiceMode.Kind.REPLICATED_JOB) {
                    ServiceMode.ReplicatedJob job = spec.mode().replicatedJob();
                    long max = job.maxConcurrent() == null ? 1 : job.maxConcurrent();
                    total = job.totalCompletions() == null ? max : job.totalCompletions();
                    desired = Math.max(0, Math.min(max, total - completed));
                } else {
                    total = run.stream().filter(t -> t.nodeId() != null).map(t -> t.nodeId().value()).distinct().count();
                    desired = run.stream().filter(t -> t.desiredState() == TaskState.RUNNING).count();
                }
                yield running + "/" + desired + " (" + completed + "/" + total + " completed)";
            }
        };
    }

    /** Docker's PORTS column: {@code *:8080->80/tcp}, or {@code 8080->80/tcp} for host mode. */
    static String ports(Service s) {
        EndpointSpec e = s.spec().endpointSpec();
        if (e == null || e.ports() == null) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (EndpointSpec.PortConfig p : e.ports()) {
            String published = p.publishedPort() == null || p.publishedPort() == 0 ? "" : p.publishedPort().toString();
            out.add((p.publishModeOrDefault() == EndpointSpec.PublishMode.INGRESS ? "*:" : "") + published + "->"
                    + p.targetPort() + "/" + p.protocolOrDefault().wireName());
        }
        return String.join(",", out);
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
