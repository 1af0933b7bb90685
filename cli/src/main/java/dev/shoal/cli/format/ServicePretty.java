package dev.shoal.cli.format;

import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.EndpointSpec;
import dev.shoal.api.model.HealthConfig;
import dev.shoal.api.model.Placement;
import dev.shoal.api.model.ResourceRequirements;
import dev.shoal.api.model.RestartPolicy;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.UpdateConfig;
import dev.shoal.api.model.UpdateStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code service inspect --pretty}: a service for people, in the layout of Docker's pretty
 * service template: ID, name, labels, mode, update status, placement, update and rollback
 * config, container spec, healthcheck, restart policy, resources, endpoint. Unset values show
 * Docker's defaults where the daemon applies them. Pure.
 */
public final class ServicePretty {
    private static final int KEY_WIDTH = 20;

    private final List<String> lines = new ArrayList<>();
    private final Instant now;

    private ServicePretty(Instant now) {
        this.now = now;
    }

    /** The lines for {@code service}; {@code now} is for "started 2 minutes ago". */
    public static List<String> render(Service service, Instant now) {
        ServicePretty p = new ServicePretty(now);
        p.service(service);
        return p.lines;
    }

    private void service(Service s) {
        ServiceSpec spec = s.spec();
        field("ID", s.id().value());
        field("Name", spec.name());
        labels("Labels", spec.labels());
        mode(spec);
        updateStatus(s.updateStatus());
        TaskSpec task = spec.taskTemplate();
        placement(task == null ? null : task.placement());
        updateConfig("UpdateConfig", "Update order", UpdateConfig.orDefault(spec.updateConfig()));
        updateConfig("RollbackConfig", "Rollback order", UpdateConfig.orDefault(spec.rollbackConfig()));
        ContainerSpec c = task == null ? null : task.containerSpec();
        if (c != null) {
            container(c);
        }
        restartPolicy(task == null ? RestartPolicy.DEFAULT : task.restartPolicyOrDefault());
        resources(task == null ? null : task.resources());
        endpoint(spec.endpointSpec());
    }

    private void mode(ServiceSpec spec) {
        ServiceMode.Kind kind = spec.modeKind();
        switch (kind) {
            case REPLICATED -> {
                field("Service Mode", "Replicated");
                field(" Replicas", Long.toString(spec.replicas()));
            }
            case GLOBAL -> field("Service Mode", "Global");
            case REPLICATED_JOB -> {
                ServiceMode.ReplicatedJob job = spec.mode().replicatedJob();
                long max = job.maxConcurrent() == null ? 1 : job.maxConcurrent();
                field("Service Mode", "Replicated Job");
                field(" Max Concurrent", Long.toString(max));
                field(" Total Completions", Long.toString(job.totalCompletions() == null ? max : job.totalCompletions()));
            }
            case GLOBAL_JOB -> field("Service Mode", "Global Job");
        }
    }

    private void updateStatus(UpdateStatus u) {
        if (u == null || u.state() == null) {
            return;
        }
        section("UpdateStatus");
        field(" State", u.state().wireName());
        if (u.startedAt() != null) {
            field(" Started", HumanTime.ago(u.startedAt(), now));
        }
        if (u.completedAt() != null) {
            field(" Completed", HumanTime.ago(u.completedAt(), now));
        }
        if (u.message() != null && !u.message().isBlank()) {
            field(" Message", u.message());
        }
    }

    private void placement(Placement p) {
        if (p == null) {
            return;
        }
        boolean constraints = p.constraints() != null && !p.constraints().isEmpty();
        boolean preferences = p.preferences() != null && !p.preferences().isEmpty();
        boolean max = p.maxReplicas() != null && p.maxReplicas() > 0;
        if (!constraints && !preferences && !max) {
            return;
        }
        section("Placement");
        if (constraints) {
            field(" Constraints", "[" + String.join(" ", p.constraints()) + "]");
        }
        if (preferences) {
            field(" Preferences", "[" + String.join(" ", p.preferences().stream().map(ServicePretty::preference).toList()) + "]");
        }
        if (max) {
            field(" Max Replicas Per Node", p.maxReplicas().toString());
        }
    }

    static String preference(Placement.Preference p) {
        return p.spread() != null ? "spread=" + p.spread().spreadDescriptor() : "avoid=" + p.avoid().service();
    }

    private void updateConfig(String title, String orderLabel, UpdateConfig u) {
        section(title);
        field(" Parallelism", u.parallelism().toString());
        if (u.delay() > 0) {
            field(" Delay", duration(u.delay()));
        }
        field(" On failure", u.failureAction().wireName());
        field(" Monitoring Period", duration(u.monitor()));
        field(" Max failure ratio", BigDecimal.valueOf(u.maxFailureRatio()).stripTrailingZeros().toPlainString());
        field(" " + orderLabel, u.order().wireName());
    }

    private void container(ContainerSpec c) {
        section("ContainerSpec");
        field(" Image", c.image());
        if (c.command() != null && !c.command().isEmpty()) {
            field(" Command", String.join(" ", c.command()));
        }
        if (c.args() != null && !c.args().isEmpty()) {
            field(" Args", String.join(" ", c.args()));
        }
        if (c.env() != null && !c.env().isEmpty()) {
            field(" Env", String.join(" ", c.env()));
        }
        if (c.dir() != null) {
            field(" Dir", c.dir());
        }
        if (c.stopGracePeriod() != null) {
            field(" StopGracePeriod", duration(c.stopGracePeriod()));
        }
        HealthConfig h = c.healthcheck();
        if (h != null) {
            section("Healthcheck");
            if (h.disabled()) {
                field(" Test", "NONE (disabled)");
            } else {
                if (h.test() != null && !h.test().isEmpty()) {
                    field(" Test", "[" + String.join(" ", h.test()) + "]");
                }
                field(" Interval", duration(h.intervalOrDefault()));
                field(" Timeout", duration(h.timeoutOrDefault()));
                field(" Retries", Long.toString(h.retriesOrDefault()));
                field(" Start Period", duration(h.startPeriodOrZero()));
            }
        }
    }

    private void restartPolicy(RestartPolicy r) {
        section("RestartPolicy");
        field(" Condition", r.condition() == null ? "" : r.condition().wireName());
        field(" Delay", r.delay() == null ? "" : duration(r.delay()));
        field(" MaxAttempts", r.maxAttempts() == null || r.maxAttempts() == 0 ? "unlimited" : r.maxAttempts().toString());
        if (r.window() != null && r.window() > 0) {
            field(" Window", duration(r.window()));
        }
    }

    private void resources(ResourceRequirements r) {
        if (r == null || (r.limits() == null && r.reservations() == null)) {
            return;
        }
        section("Resources");
        if (r.reservations() != null) {
            section(" Reservations");
            resourceValues(r.reservations());
        }
        if (r.limits() != null) {
            section(" Limits");
            resourceValues(r.limits());
        }
    }

    private void resourceValues(ResourceRequirements.Resources v) {
        if (v.nanoCpus() != null && v.nanoCpus() > 0) {
            field("  CPU", cpus(v.nanoCpus()));
        }
        if (v.memoryBytes() != null && v.memoryBytes() > 0) {
            field("  Memory", bytes(v.memoryBytes()));
        }
        if (v.pids() != null && v.pids() > 0) {
            field("  PIDs", v.pids().toString());
        }
    }

    private void endpoint(EndpointSpec e) {
        field("Endpoint Mode", e == null || e.mode() == null ? "vip" : e.mode().wireName());
        if (e == null || e.ports() == null || e.ports().isEmpty()) {
            return;
        }
        section("Ports");
        for (EndpointSpec.PortConfig p : e.ports()) {
            lines.add(" PublishedPort = " + (p.publishedPort() == null ? 0 : p.publishedPort()));
            lines.add("  Protocol = " + p.protocolOrDefault().wireName());
            lines.add("  TargetPort = " + p.targetPort());
            lines.add("  PublishMode = " + p.publishModeOrDefault().wireName());
        }
    }

    private void labels(String title, Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return;
        }
        section(title);
        new TreeMap<>(labels).forEach((k, v) -> lines.add(" " + k + "=" + v));
    }

    private void section(String title) {
        lines.add(title + ":");
    }

    private void field(String key, String value) {
        String label = key + ":";
        lines.add(label.length() >= KEY_WIDTH ? label + " " + value : ("%-" + KEY_WIDTH + "s%s").formatted(label, value));
    }

    private static String duration(long nanos) {
        return GoDuration.format(Duration.ofNanos(nanos));
    }

    /** NanoCPUs as decimal CPUs: 500000000 is {@code 0.5}. */
    public static String cpus(long nanoCpus) {
        return BigDecimal.valueOf(nanoCpus, 9).stripTrailingZeros().toPlainString();
    }

    /** Bytes in binary units as Docker's {@code BytesSize}: {@code 512MiB}, {@code 1.5GiB}. */
    public static String bytes(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int i = 0;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        String n = BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
        return n + units[i];
    }
}
