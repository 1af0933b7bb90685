package dev.shoal.cli.command;

import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.Placement;
import dev.shoal.api.model.RestartPolicy;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.UpdateConfig;
import dev.shoal.cli.format.GoDuration;
import dev.shoal.controlplane.scheduler.Constraint;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converters for flag values. Each throws {@link TypeConversionException} with the reason only;
 * {@link ErrorHandlers} adds the value and the flag, as Docker's CLI prints it:
 * {@code invalid argument "5x" for "--restart-delay" flag: time: unknown unit "x" in duration "5x"}.
 */
public final class Converters {
    private Converters() {}

    /** Registers every converter on {@code cli} and its subcommands. */
    public static CommandLine register(CommandLine cli) {
        return cli.registerConverter(Duration.class, new GoDurationConverter())
                .registerConverter(Long.class, new LongConverter())
                .registerConverter(Long.TYPE, new LongConverter())
                .registerConverter(Integer.class, new IntConverter())
                .registerConverter(Integer.TYPE, new IntConverter())
                .registerConverter(RestartPolicy.Condition.class, new RestartConditionConverter())
                .registerConverter(NodeSpec.Availability.class, new AvailabilityConverter())
                .registerConverter(NodeSpec.Role.class, new RoleConverter())
                .registerConverter(ServiceMode.Kind.class, new ModeConverter())
                .registerConverter(UpdateConfig.Order.class, new UpdateOrderConverter())
                .registerConverter(Placement.Preference.class, new PlacementPreferenceConverter());
    }

    /** Go durations: {@code 10s}, {@code 1m30s}, {@code 500ms}. */
    public static final class GoDurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return GoDuration.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Signed integers; a negative count is left for the daemon's validator to explain. */
    public static final class LongConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("not an integer");
            }
        }
    }

    public static final class IntConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                return Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("not an integer");
            }
        }
    }

    /** {@code none}, {@code on-failure} or {@code any}. */
    public static final class RestartConditionConverter implements ITypeConverter<RestartPolicy.Condition> {
        @Override
        public RestartPolicy.Condition convert(String value) {
            try {
                return RestartPolicy.Condition.fromWire(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("must be one of none, on-failure, any");
            }
        }
    }

    /** {@code KEY=VALUE} for {@code --env}: the key must not be empty. */
    public static final class EnvConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            int eq = value.indexOf('=');
            String key = eq < 0 ? value : value.substring(0, eq);
            if (key.isBlank()) {
                throw new TypeConversionException("invalid environment variable: " + value);
            }
            if (key.chars().anyMatch(Character::isWhitespace)) {
                throw new TypeConversionException("variable '" + key + "' contains whitespaces");
            }
            return value;
        }
    }

    /** {@code KEY=VALUE} or {@code KEY} for labels: the key must not be empty. */
    public static final class LabelConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            int eq = value.indexOf('=');
            String key = eq < 0 ? value : value.substring(0, eq);
            if (key.isBlank()) {
                throw new TypeConversionException("invalid label: " + value + ": the key must not be empty");
            }
            return value;
        }
    }

    /** {@code active}, {@code pause} or {@code drain}. */
    public static final class AvailabilityConverter implements ITypeConverter<NodeSpec.Availability> {
        @Override
        public NodeSpec.Availability convert(String value) {
            try {
                return NodeSpec.Availability.fromWire(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("must be one of active, pause, drain");
            }
        }
    }

    /** {@code worker} or {@code manager}. */
    public static final class RoleConverter implements ITypeConverter<NodeSpec.Role> {
        @Override
        public NodeSpec.Role convert(String value) {
            try {
                return NodeSpec.Role.fromWire(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("must be worker or manager");
            }
        }
    }

    /**
     * {@code KEY=VALUE} for {@code node update --label-add}: the {@code =} is required, as in
     * Docker's node flags ({@code bad attribute format: foo}), and the key must not be empty.
     */
    public static final class NodeLabelConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            int eq = value.indexOf('=');
            if (eq < 0) {
                throw new TypeConversionException("bad attribute format: " + value);
            }
            if (value.substring(0, eq).isBlank()) {
                throw new TypeConversionException("invalid label: " + value + ": the key must not be empty");
            }
            return value;
        }
    }

    /**
     * A PEM file ({@code --ca-cert}, {@code --ca-key}): read when the flag is parsed, as Docker's
     * {@code PEMFile} flag does, so an unreadable file is a usage error that names it
     * ({@code open /etc/ca.pem: no such file or directory}). Converts to the file's contents.
     */
    public static final class PemFileConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String contents;
            try {
                contents = Files.readString(Path.of(value));
            } catch (NoSuchFileException e) {
                throw new TypeConversionException("open " + value + ": no such file or directory");
            } catch (AccessDeniedException e) {
                throw new TypeConversionException("open " + value + ": permission denied");
            } catch (IOException | RuntimeException e) {
                throw new TypeConversionException("open " + value + ": " + e.getMessage());
            }
            if (!contents.contains("-----BEGIN ") || !contents.contains("-----END ")) {
                throw new TypeConversionException("file contents must be in PEM format");
            }
            return contents;
        }
    }

    /** A Go duration that must not be negative ({@code --update-delay}, {@code --health-interval}). */
    public static final class NonNegativeDurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = new GoDurationConverter().convert(value);
            if (d.isNegative()) {
                throw new TypeConversionException("duration must not be negative");
            }
            return d;
        }
    }

    /** A count that must not be negative ({@code --update-parallelism}, {@code --limit-pids}). */
    public static final class NonNegativeLongConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            Long n = new LongConverter().convert(value);
            if (n < 0) {
                throw new TypeConversionException("must not be negative");
            }
            return n;
        }
    }

    /** A share between 0 and 1 ({@code --update-max-failure-ratio 0.2}). */
    public static final class RatioConverter implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double ratio;
            try {
                ratio = Double.parseDouble(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("not a number");
            }
            if (Double.isNaN(ratio) || ratio < 0 || ratio > 1) {
                throw new TypeConversionException("must be between 0 and 1");
            }
            return ratio;
        }
    }

    /**
     * Decimal CPUs to NanoCPUs, as Docker's {@code NanoCPUs} flag: {@code 0.5} is 500 000 000;
     * more than nine decimals is too precise.
     */
    public static final class NanoCpusConverter implements ITypeConverter<Long> {
        private static final BigDecimal NANOS = BigDecimal.valueOf(1_000_000_000L);

        @Override
        public Long convert(String value) {
            BigDecimal cpus;
            try {
                cpus = new BigDecimal(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("failed to parse " + value + " as a decimal number of CPUs");
            }
            if (cpus.signum() < 0) {
                throw new TypeConversionException("must not be negative");
            }
            BigDecimal nanos = cpus.multiply(NANOS);
            try {
                return nanos.longValueExact();
            } catch (ArithmeticException e) {
                throw new TypeConversionException(nanos.stripTrailingZeros().scale() > 0 ? "value is too precise" : "value is too large");
            }
        }
    }

    /**
     * Memory sizes as Docker's {@code RAMInBytes}: a number with an optional binary unit
     * {@code b}, {@code k}, {@code m}, {@code g}, {@code t}, {@code p} (case-insensitive, an
     * optional {@code i} and {@code b}): {@code 512m}, {@code 1g}, {@code 1.5GiB}.
     */
    public static final class MemoryBytesConverter implements ITypeConverter<Long> {
        private static final Pattern SIZE = Pattern.compile("^(\\d+(?:\\.\\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$");

        @Override
        public Long convert(String value) {
            return parse(value);
        }

        public static long parse(String value) {
            Matcher m = SIZE.matcher(value.strip());
            if (!m.matches()) {
                throw new TypeConversionException("invalid size: '" + value + "' (expected a number and a unit b, k, m or g, e.g. 512m)");
            }
            String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
            int shift = switch (unit) {
                case "k" -> 10;
                case "m" -> 20;
                case "g" -> 30;
                case "t" -> 40;
                case "p" -> 50;
                default -> 0;
            };
            BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1L << shift));
            if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw new TypeConversionException("invalid size: '" + value + "': too large");
            }
            return bytes.longValue(); // a fraction of a byte is dropped, as Docker does
        }
    }

    /** {@code replicated}, {@code global}, {@code replicated-job} or {@code global-job}. */
    public static final class ModeConverter implements ITypeConverter<ServiceMode.Kind> {
        @Override
        public ServiceMode.Kind convert(String value) {
            try {
                return ServiceMode.Kind.fromCliName(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("must be one of replicated, global, replicated-job, global-job");
            }
        }
    }

    /** {@code stop-first} or {@code start-first}. */
    public static final class UpdateOrderConverter implements ITypeConverter<UpdateConfig.Order> {
        @Override
        public UpdateConfig.Order convert(String value) {
            try {
                return UpdateConfig.Order.fromWire(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("must be stop-first or start-first");
            }
        }
    }

    /** {@code --update-failure-action}: {@code pause}, {@code continue} or {@code rollback}. */
    public static final class FailureActionConverter implements ITypeConverter<UpdateConfig.FailureAction> {
        @Override
        public UpdateConfig.FailureAction convert(String value) {
            try {
                return UpdateConfig.FailureAction.fromWire(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("must be one of pause, continue, rollback");
            }
        }
    }

    /** {@code --rollback-failure-action}: {@code pause} or {@code continue} (a rollback cannot roll back). */
    public static final class RollbackFailureActionConverter implements ITypeConverter<UpdateConfig.FailureAction> {
        @Override
        public UpdateConfig.FailureAction convert(String value) {
            if ("pause".equals(value)) {
                return UpdateConfig.FailureAction.PAUSE;
            }
            if ("continue".equals(value)) {
                return UpdateConfig.FailureAction.CONTINUE;
            }
            throw new TypeConversionException("must be pause or continue");
        }
    }

    /**
     * A placement constraint, checked here with the scheduler's own parser so that a malformed one
     * or an unknown key never reaches the daemon; converts to the expression as given.
     */
    public static final class ConstraintConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                Constraint.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
            return value;
        }
    }

    /**
     * {@code spread=<node attribute>} (Docker's) or {@code avoid=<service>} (Shoal's soft
     * anti-affinity).
     */
    public static final class PlacementPreferenceConverter implements ITypeConverter<Placement.Preference> {
        @Override
        public Placement.Preference convert(String value) {
            int eq = value.indexOf('=');
            if (eq < 0) {
                throw new TypeConversionException("missing '=' in placement preference (expected spread=<node attribute> or avoid=<service>)");
            }
            String kind = value.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String arg = value.substring(eq + 1).strip();
            if (arg.isEmpty()) {
                throw new TypeConversionException("placement preference " + kind + " needs a value after '='");
            }
            return switch (kind) {
                case "spread" -> {
                    try {
                        Constraint.checkKey(arg, "spread preference");
                    } catch (IllegalArgumentException e) {
                        throw new TypeConversionException(e.getMessage());
                    }
                    yield Placement.Preference.spread(arg);
                }
                case "avoid" -> Placement.Preference.avoid(arg);
                default -> throw new TypeConversionException("unsupported placement preference " + kind + " (must be spread or avoid)");
            };
        }

        /** The flag form of a preference, as {@code --placement-pref-rm} matches it. */
        public static String format(Placement.Preference p) {
            return p.spread() != null ? "spread=" + p.spread().spreadDescriptor() : "avoid=" + p.avoid().service();
        }
    }
}
