package dev.shoal.cli.command;

import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.RestartPolicy;
import dev.shoal.cli.format.GoDuration;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
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
                .registerConverter(NodeSpec.Role.class, new RoleConverter());
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
}
