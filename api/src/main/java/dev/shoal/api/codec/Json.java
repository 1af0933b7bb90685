package dev.shoal.api.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The one JSON codec of Shoal: PascalCase field names as in the Docker Engine API, nulls left out,
 * timestamps as RFC 3339 strings, unknown fields refused so that a misspelt field is an error and
 * not a silent default. Thread-safe.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private Json() {}

    /** The shared mapper, for callers that need tree access. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorCode.INTERNAL, "cannot encode " + value.getClass().getSimpleName() + ": " + e.getOriginalMessage());
        }
    }

    public static String writeString(Object value) {
        return new String(write(value), StandardCharsets.UTF_8);
    }

    public static String writePretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorCode.INTERNAL, "cannot encode " + value.getClass().getSimpleName() + ": " + e.getOriginalMessage());
        }
    }

    /**
     * Decodes a request or response body.
     *
     * @throws ApiException INVALID_ARGUMENT naming the field and the problem when the body is not
     *                      valid JSON of that type
     */
    public static <T> T read(byte[] bytes, Class<T> type) {
        return read(bytes, MAPPER.constructType(type));
    }

    public static <T> T read(byte[] bytes, JavaType type) {
        if (bytes == null || bytes.length == 0) {
            throw new ApiException(ErrorCode.INVALID_ARGUMENT, "malformed request: empty body, expected a JSON " + simpleName(type));
        }
        try {
            return MAPPER.readValue(bytes, type);
        } catch (UnrecognizedPropertyException e) {
            throw new ApiException(ErrorCode.INVALID_ARGUMENT,
                    "malformed request: unknown field \"" + e.getPropertyName() + "\" at " + path(e) + " (known fields: " + e.getKnownPropertyIds() + ")");
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
            throw new ApiException(ErrorCode.INVALID_ARGUMENT, "malformed request: " + why + " at " + path(e));
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new ApiException(ErrorCode.INVALID_ARGUMENT, "malformed request: not valid JSON: " + why);
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "the top level" : sb.toString();
    }

    private static String simpleName(JavaType t) {
        return t.getRawClass().getSimpleName();
    }

    /** The error body carried in an RSocket APPLICATION_ERROR frame. */
    public record ErrorBody(ErrorCode code, String message) {}

    public static String encodeError(ApiException e) {
        return writeString(new ErrorBody(e.code(), e.getMessage()));
    }

    /** Decodes an APPLICATION_ERROR message; a message that is not an error body becomes INTERNAL. */
    public static ApiException decodeError(String message) {
        if (message != null && message.startsWith("{")) {
            try {
                ErrorBody b = MAPPER.readValue(message, ErrorBody.class);
                if (b.code() != null) {
                    return new ApiException(b.code(), b.message());
                }
            } catch (IOException ignored) {
                // not ours: fall through
            }
        }
        return new ApiException(ErrorCode.INTERNAL, String.valueOf(message));
    }

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }
}
