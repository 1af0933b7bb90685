package dev.shoal.controlplane.api;

import dev.shoal.api.error.ApiException;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.RestartPolicy;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.TaskSpec;
import java.util.List;
import java.util.Map;
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
    }

    /**
     * The spec as it is stored: the replica count filled in (1 when left out), so that inspect
     * shows what runs. Call after {@link #validate}.
     */
    public static ServiceSpec withDefaults(ServiceSpec spec) {
        return spec.mode() != null && spec.mode().replicated() != null && spec.mode().replicated().replicas() != null
                ? spec : spec.withReplicas(spec.replicas());
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
        if (mode.replicated() == null) {
            throw ApiException.invalid("Mode", "{}", "must be Replicated (the only mode so far)");
        }
        Long replicas = mode.replicated().replicas();
        if (replicas != null && replicas < 0) {
            throw ApiException.invalid("Mode.Replicated.Replicas", replicas, "must be >= 0");
        }
    }

    private static void validateTaskTemplate(TaskSpec template) {
        if (template == null) {
            throw ApiException.invalid("TaskTemplate", "null", "must be set");
        }
        validateContainerSpec(template.containerSpec());
        validateRestartPolicy(template.restartPolicy());
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
