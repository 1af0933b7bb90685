package dev.shoal.controlplane.api;

import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.EndpointSpec;
import dev.shoal.api.model.HealthConfig;
import dev.shoal.api.model.NodeDescription;
import dev.shoal.api.model.Placement;
import dev.shoal.api.model.ResourceRequirements;
import dev.shoal.api.model.UpdateConfig;
import dev.shoal.api.model.RestartPolicy;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.controlplane.scheduler.Constraint;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a {@link ServiceSpec} field by field, as swarmkit's control API does, and refuses the
 * first broken rule with INVALID_ARGUMENT: {@code invalid <Field>: <value>: <rule>}, the field
 * named by its JSON path ({@code Mode.Replicated.Replicas}, {@code TaskTemplate.ContainerSpec.Env[2]}).
 * Strings are quoted in messages so that an empty one shows. Stateless.
 */
public final class ServiceSpecValidator {
    /** Docker's service name rule (a DNS-label-like name that can prefix container names). */
    public static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$");
    /** The longest service name (a DNS label). */
    public static final int MAX_NAME_LENGTH = 63;
    /** Docker's smallest memory limit. */
    public static final long MIN_MEMORY_LIMIT = 6L * 1024 * 1024;
    /** Docker's smallest non-zero healthcheck interval and timeout. */
    public static final long MIN_HEALTH_INTERVAL = 1_000_000L;

    private ServiceSpecValidator() {}

    /** Throws the first rule {@code spec} breaks; returns normally when it is valid. */
    public static void validate(ServiceSpec spec) {
        if (spec == null) {
            throw ApiException.invalid("Spec", "null", "must be set");
        }
        validateName(spec.name());
        validateLabels("Labels", spec.labels());
        validateMode(spec.mode());
        validateTaskTemplate(spec.taskTemplate());
        validateUpdateConfig("UpdateConfig", spec.updateConfig());
        validateUpdateConfig("RollbackConfig", spec.rollbackConfig());
        if (spec.rollbackConfig() != null && spec.rollbackConfig().failureAction() == UpdateConfig.FailureAction.ROLLBACK) {
            throw ApiException.invalid("RollbackConfig.FailureAction", quote("rollback"), "must be pause or continue (a rollback cannot roll back)");
        }
        validateEndpoint(spec.endpointSpec());
        nonNegative("Rebalance", spec.rebalance());
        Placement p = spec.taskTemplate().placement();
        if (p != null && p.maxReplicas() != null && p.maxReplicas() > 0
                && (spec.modeKind() == ServiceMode.Kind.GLOBAL || spec.modeKind() == ServiceMode.Kind.GLOBAL_JOB)) {
            throw ApiException.invalid("TaskTemplate.Placement.MaxReplicas", p.maxReplicas(),
                    "only replicated services may limit replicas per node (a " + spec.modeKind().cliName() + " service runs one task per node)");
        }
    }

    /**
     * Checks that {@code next} may replace {@code current}'s spec: same name and same mode kind
     * (Docker refuses to turn a replicated service into a global one, or a job into a service).
     */
    public static void validateUpdate(ServiceSpec current, ServiceSpec next) {
        if (!current.name().equals(next.name())) {
            throw new ApiException(ErrorCode.INVALID_ARGUMENT, "renaming services is not supported (service "
                    + current.name() + " cannot become " + next.name() + ")");
        }
        if (current.modeKind() != next.modeKind()) {
            throw ApiException.invalid("Mode", next.modeKind().cliName(), "service " + current.name() + " is "
                    + current.modeKind().cliName() + " and its mode cannot be changed (remove it and create it again)");
        }
    }

    /**
     * The spec as it is stored: the replica count filled in (1 when left out), a job's MaxConcurrent
     * and TotalCompletions, and a job's restart condition (on-failure), so that inspect shows what
     * runs. Call after {@link #validate}.
     */
    public static ServiceSpec withDefaults(ServiceSpec spec) {
        ServiceMode.Kind kind = spec.modeKind();
        if ((kind == ServiceMode.Kind.REPLICATED_JOB || kind == ServiceMode.Kind.GLOBAL_JOB) && spec.taskTemplate().restartPolicy() == null) {
            // a job runs to completion: Docker restarts its tasks only on failure
            spec = spec.withTaskTemplate(spec.taskTemplate().withRestartPolicy(
                    new RestartPolicy(RestartPolicy.Condition.ON_FAILURE, null, null, null).withDefaults()));
        }
        if (spec.mode() == null || (spec.mode().replicated() != null && spec.mode().replicated().replicas() == null)) {
            return spec.withReplicas(spec.replicas());
        }
        ServiceMode.ReplicatedJob job = spec.mode().replicatedJob();
        if (job != null && (job.maxConcurrent() == null || job.totalCompletions() == null)) {
            long max = job.maxConcurrent() == null ? 1 : job.maxConcurrent();
            return spec.withMode(ServiceMode.ofReplicatedJob(max, job.totalCompletions() == null ? max : job.totalCompletions()));
        }
        return spec;
    }

    static void validateName(String name) {
        if (name == null || name.isEmpty()) {
            throw ApiException.invalid("Name", quote(name), "must not be empty");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw ApiException.invalid("Name", quote(name), "must be at most " + MAX_NAME_LENGTH + " characters");
        }
        if (!NAME.matcher(name).matches()) {
            throw ApiException.invalid("Name", quote(name),
                    "must start with a letter or digit and contain only letters, digits, '_', '.' and '-'");
        }
    }

    private static void validateLabels(String field, Map<String, String> labels) {
        if (labels != null && labels.containsKey("")) {
            throw ApiException.invalid(field, quote(""), "label keys must not be empty");
        }
    }

    private static void validateMode(ServiceMode mode) {
        if (mode == null) {
            return;
        }
        if (mode.setCount() != 1) {
            throw ApiException.invalid("Mode", mode.setCount() == 0 ? "{}" : mode.setCount() + " modes",
                    "must set exactly one of Replicated, Global, ReplicatedJob, GlobalJob");
        }
        if (mode.replicated() != null) {
            nonNegative("Mode.Replicated.Replicas", mode.replicated().replicas());
        }
        if (mode.replicatedJob() != null) {
            Long max = mode.replicatedJob().maxConcurrent();
            if (max != null && max < 1) {
                throw ApiException.invalid("Mode.ReplicatedJob.MaxConcurrent", max, "must be >= 1");
            }
            nonNegative("Mode.ReplicatedJob.TotalCompletions", mode.replicatedJob().totalCompletions());
        }
    }

    private static void validateTaskTemplate(TaskSpec template) {
        if (template == null) {
            throw ApiException.invalid("TaskTemplate", "null", "must be set");
        }
        validateContainerSpec(template.containerSpec());
        validateRestartPolicy(template.restartPolicy());
        nonNegative("TaskTemplate.ForceUpdate", template.forceUpdate());
        validateResources(template.resources());
        validatePlacement(template.placement());
    }

    private static void validateResources(ResourceRequirements r) {
        if (r == null) {
            return;
        }
        String field = "TaskTemplate.Resources";
        ResourceRequirements.Resources limits = r.limits();
        ResourceRequirements.Resources reservations = r.reservations();
        if (limits != null) {
            nonNegative(field + ".Limits.NanoCPUs", limits.nanoCpus());
            nonNegative(field + ".Limits.MemoryBytes", limits.memoryBytes());
            nonNegative(field + ".Limits.Pids", limits.pids());
            if (limits.memoryBytes() != null && limits.memoryBytes() > 0 && limits.memoryBytes() < MIN_MEMORY_LIMIT) {
                throw ApiException.invalid(field + ".Limits.MemoryBytes", limits.memoryBytes(), "must be at least 6 MiB (Docker's minimum)");
            }
        }
        if (reservations != null) {
            nonNegative(field + ".Reservations.NanoCPUs", reservations.nanoCpus());
            nonNegative(field + ".Reservations.MemoryBytes", reservations.memoryBytes());
            if (reservations.pids() != null) {
                throw ApiException.invalid(field + ".Reservations.Pids", reservations.pids(), "only limits may set Pids");
            }
        }
        if (limits != null && reservations != null) {
            if (limits.nanoCpusOrZero() > 0 && reservations.nanoCpusOrZero() > limits.nanoCpusOrZero()) {
                throw ApiException.invalid(field + ".Reservations.NanoCPUs", reservations.nanoCpus(),
                        "must not exceed Limits.NanoCPUs (" + limits.nanoCpus() + ")");
            }
            if (limits.memoryBytesOrZero() > 0 && reservations.memoryBytesOrZero() > limits.memoryBytesOrZero()) {
                throw ApiException.invalid(field + ".Reservations.MemoryBytes", reservations.memoryBytes(),
                        "must not exceed Limits.MemoryBytes (" + limits.memoryBytes() + ")");
            }
        }
    }

    private static void validatePlacement(Placement p) {
        if (p == null) {
            return;
        }
        String field = "TaskTemplate.Placement";
        List<String> constraints = p.constraints() == null ? List.of() : p.constraints();
        for (int i = 0; i < constraints.size(); i++) {
            try {
                Constraint.parse(constraints.get(i));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(field + ".Constraints[" + i + "]", quote(constraints.get(i)), e.getMessage());
            }
        }
        List<Placement.Preference> prefs = p.preferences() == null ? List.of() : p.preferences();
        for (int i = 0; i < prefs.size(); i++) {
            Placement.Preference pref = prefs.get(i);
            String at = field + ".Preferences[" + i + "]";
            if (pref == null || (pref.spread() == null) == (pref.avoid() == null)) {
                throw ApiException.invalid(at, "{}", "must set exactly one of Spread, Avoid");
            }
            if (pref.spread() != null) {
                String d = pref.spread().spreadDescriptor();
                if (d == null || d.isBlank()) {
                    throw ApiException.invalid(at + ".Spread.SpreadDescriptor", quote(d), "must not be empty");
                }
                try {
                    Constraint.checkKey(d, "spread preference");
                } catch (IllegalArgumentException e) {
                    throw ApiException.invalid(at + ".Spread.SpreadDescriptor", quote(d), e.getMessage());
                }
            } else if (pref.avoid().service() == null || pref.avoid().service().isBlank()) {
                throw ApiException.invalid(at + ".Avoid.Service", quote(pref.avoid().service()), "must name a service");
            }
        }
        nonNegative(field + ".MaxReplicas", p.maxReplicas());
        List<NodeDescription.Platform> platforms = p.platforms() == null ? List.of() : p.platforms();
        for (int i = 0; i < platforms.size(); i++) {
            NodeDescription.Platform pl = platforms.get(i);
            if (pl == null || ((pl.os() == null || pl.os().isBlank()) && (pl.architecture() == null || pl.architecture().isBlank()))) {
                throw ApiException.invalid(field + ".Platforms[" + i + "]", "{}", "must set OS or Architecture");
            }
        }
    }

    private static void validateHealthcheck(String field, HealthConfig h) {
        if (h == null) {
            return;
        }
        List<String> test = h.test() == null ? List.of() : h.test();
        if (!test.isEmpty()) {
            String kind = test.getFirst();
            switch (kind) {
                case "NONE" -> {
                    if (test.size() > 1) {
                        throw ApiException.invalid(field + ".Test", quote(String.join(" ", test)), "NONE takes no arguments");
                    }
                }
                case "CMD", "CMD-SHELL" -> {
                    if (test.size() < 2 || test.get(1) == null || test.get(1).isBlank()) {
                        throw ApiException.invalid(field + ".Test", quote(String.join(" ", test)), kind + " needs a command");
                    }
                }
                default -> throw ApiException.invalid(field + ".Test[0]", quote(kind), "must be NONE, CMD or CMD-SHELL");
            }
        }
        for (var d : List.of(Map.entry("Interval", nz(h.interval())), Map.entry("Timeout", nz(h.timeout())),
                Map.entry("StartPeriod", nz(h.startPeriod())))) {
            nonNegative(field + "." + d.getKey(), d.getValue());
            if (!d.getKey().equals("StartPeriod") && d.getValue() > 0 && d.getValue() < MIN_HEALTH_INTERVAL) {
                throw ApiException.invalid(field + "." + d.getKey(), d.getValue(), "must be 0 (the default) or at least 1 ms");
            }
        }
        nonNegative(field + ".Retries", h.retries());
    }

    private static long nz(Long v) {
        return v == null ? 0 : v;
    }

    private static void validateUpdateConfig(String field, UpdateConfig u) {
        if (u == null) {
            return;
        }
        nonNegative(field + ".Parallelism", u.parallelism());
        nonNegative(field + ".Delay", u.delay());
        nonNegative(field + ".Monitor", u.monitor());
        if (u.maxFailureRatio() != null && (u.maxFailureRatio().isNaN() || u.maxFailureRatio() < 0 || u.maxFailureRatio() > 1)) {
            throw ApiException.invalid(field + ".MaxFailureRatio", u.maxFailureRatio(), "must be between 0 and 1");
        }
    }

    private static void validateEndpoint(EndpointSpec e) {
        if (e == null || e.ports() == null) {
            return;
        }
        Set<String> published = new HashSet<>();
        for (int i = 0; i < e.ports().size(); i++) {
            EndpointSpec.PortConfig port = e.ports().get(i);
            String at = "EndpointSpec.Ports[" + i + "]";
            if (port == null) {
                throw ApiException.invalid(at, "null", "must be set");
            }
            if (port.targetPort() == null || port.targetPort() < 1 || port.targetPort() > 65535) {
                throw ApiException.invalid(at + ".TargetPort", port.targetPort(), "must be between 1 and 65535");
            }
            if (port.publishedPort() != null && (port.publishedPort() < 0 || port.publishedPort() > 65535)) {
                throw ApiException.invalid(at + ".PublishedPort", port.publishedPort(), "must be between 0 and 65535");
            }
            if (port.publishedPort() != null && port.publishedPort() > 0
                    && !published.add(port.publishedPort() + "/" + port.protocolOrDefault().wireName())) {
                throw ApiException.invalid(at + ".PublishedPort", port.publishedPort(),
                        "is published twice for " + port.protocolOrDefault().wireName());
            }
            if (e.mode() == EndpointSpec.ResolutionMode.DNSRR && port.publishModeOrDefault() == EndpointSpec.PublishMode.INGRESS) {
                throw ApiException.invalid(at + ".PublishMode", quote("ingress"), "cannot be used with endpoint mode dnsrr (use host)");
            }
        }
    }

    private static void validateContainerSpec(ContainerSpec c) {
        String field = "TaskTemplate.ContainerSpec";
        if (c == null) {
            throw ApiException.invalid(field, "null", "must be set");
        }
        if (c.image() == null || c.image().isBlank()) {
            throw ApiException.invalid(field + ".Image", quote(c.image()), "must not be empty");
        }
        if (c.image().chars().anyMatch(Character::isWhitespace)) {
            throw ApiException.invalid(field + ".Image", quote(c.image()), "must not contain whitespace");
        }
        validateEnv(field + ".Env", c.env());
        validateLabels(field + ".Labels", c.labels());
        if (c.dir() != null && !c.dir().isEmpty() && !c.dir().startsWith("/")) {
            throw ApiException.invalid(field + ".Dir", quote(c.dir()), "must be an absolute path");
        }
        if (c.stopGracePeriod() != null && c.stopGracePeriod() < 0) {
            throw ApiException.invalid(field + ".StopGracePeriod", c.stopGracePeriod(), "must be >= 0");
        }
        validateHealthcheck(field + ".Healthcheck", c.healthcheck());
    }

    private static void validateEnv(String field, List<String> env) {
        if (env == null) {
            return;
        }
        for (int i = 0; i < env.size(); i++) {
            String e = env.get(i);
            int eq = e == null ? -1 : e.indexOf('=');
            if (eq < 0) {
                throw ApiException.invalid(field + "[" + i + "]", quote(e), "must be KEY=value");
            }
            if (eq == 0) {
                throw ApiException.invalid(field + "[" + i + "]", quote(e), "the key before '=' must not be empty");
            }
        }
    }

    private static void validateRestartPolicy(RestartPolicy p) {
        if (p == null) {
            return;
        }
        String field = "TaskTemplate.RestartPolicy";
        nonNegative(field + ".Delay", p.delay());
        nonNegative(field + ".MaxAttempts", p.maxAttempts());
        nonNegative(field + ".Window", p.window());
    }

    private static void nonNegative(String field, Long value) {
        if (value != null && value < 0) {
            throw ApiException.invalid(field, value, "must be >= 0");
        }
    }

    static String quote(String s) {
        return s == null ? "\"\"" : "\"" + s + "\"";
    }
}
