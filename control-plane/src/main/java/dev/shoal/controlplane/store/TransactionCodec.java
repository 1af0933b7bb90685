package dev.shoal.controlplane.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.api.codec.Json;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.model.Version;
import java.util.ArrayList;
import java.util.List;

/**
 * The Raft log entry of a transaction: JSON through Shoal's one codec ({@link Json}), with each
 * value typed by its change's {@link Kind}:
 * <pre>{"Changes":[{"Op":"UPDATE","Kind":"SERVICE","ID":"…","Expected":{"Index":7},"Value":{…}}]}</pre>
 * The format is persistent (it is what a restarted member replays), so fields are only ever added.
 *
 * <p>Thread-safe.
 */
final class TransactionCodec {
    record ChangeOut(Change.Op op, Kind kind, @JsonProperty("ID") String id, Version expected, Object value) {}

    record TransactionOut(List<ChangeOut> changes) {}

    record ChangeIn(Change.Op op, Kind kind, @JsonProperty("ID") String id, Version expected, JsonNode value) {}

    record TransactionIn(List<ChangeIn> changes) {}

    private TransactionCodec() {}

    static byte[] encode(Transaction tx) {
        List<ChangeOut> out = new ArrayList<>(tx.changes().size());
        for (Change c : tx.changes()) {
            out.add(new ChangeOut(c.op(), c.kind(), c.id(), c.expected(), c.value()));
        }
        try {
            return Json.mapper().writeValueAsBytes(new TransactionOut(out));
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorCode.INTERNAL, "cannot encode the transaction: " + e.getOriginalMessage());
        }
    }

    /**
     * Decodes a log entry.
     *
     * @throws ApiException INVALID_ARGUMENT when the entry is not a transaction
     */
    static Transaction decode(byte[] bytes) {
        TransactionIn in = Json.read(bytes, TransactionIn.class);
        if (in.changes() == null || in.changes().isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_ARGUMENT, "invalid transaction: no changes: must have at least one change");
        }
        List<Change> changes = new ArrayList<>(in.changes().size());
        for (int i = 0; i < in.changes().size(); i++) {
            ChangeIn c = in.changes().get(i);
            if (c == null) {
                throw ApiException.invalid("Changes[" + i + "]", null, "must be a change");
            }
            Object value = null;
            if (c.value() != null && !c.value().isNull()) {
                if (c.kind() == null) {
                    throw ApiException.invalid("Changes[" + i + "].Kind", null, "must be SWARM, NODE, SERVICE or TASK");
                }
                value = readValue(c.value(), c.kind(), i);
            }
            changes.add(new Change(c.op(), c.kind(), c.id(), c.expected(), value));
        }
        return new Transaction(changes);
    }

    private static Object readValue(JsonNode node, Kind kind, int i) {
        try {
            return Json.mapper().treeToValue(node, kind.type());
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
            throw new ApiException(ErrorCode.INVALID_ARGUMENT, "malformed request: Changes[" + i + "].Value is not a " + kind.type().getSimpleName() + ": " + why);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_ARGUMENT, "malformed request: Changes[" + i + "].Value is not a " + kind.type().getSimpleName() + ": " + e.getMessage());
        }
    }
}
