package dev.shoal.controlplane.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.Version;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The log entry format of a transaction, and every way an entry can be malformed. */
class TransactionCodecTest {
    private static ApiException malformed(String entry) {
        ApiException e = assertThrows(ApiException.class, () -> TransactionCodec.decode(entry.getBytes(StandardCharsets.UTF_8)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), e.getMessage());
        return e;
    }

    @Test
    void everyKindAndOpRoundTrips() {
        Service web = Fixtures.service("web");
        Task t = Fixtures.task(web, 1).withVersion(new Version(4));
        Transaction tx = Transaction.of(
                Change.create(Fixtures.swarm()), Change.create(Fixtures.node("n1")), Change.create(web),
                Change.update(t), Change.delete(Fixtures.task(web, 2).withVersion(new Version(9))));
        assertEquals(tx, TransactionCodec.decode(TransactionCodec.encode(tx)));
    }

    @Test
    void entryUsesDockerStyleFieldNames() {
        Task t = Fixtures.task(Fixtures.service("web"), 1).withVersion(new Version(4));
        String json = new String(TransactionCodec.encode(Transaction.of(Change.delete(t))), StandardCharsets.UTF_8);
        assertEquals("{\"Changes\":[{\"Op\":\"DELETE\",\"Kind\":\"TASK\",\"ID\":\"" + t.id().value() + "\",\"Expected\":{\"Index\":4}}]}", json);
    }

    @Test
    void entryThatIsNotJsonIsRefused() {
        assertTrue(malformed("not json").getMessage().startsWith("malformed request: not valid JSON"));
    }

    @Test
    void emptyEntryIsRefused() {
        malformed("");
    }

    @Test
    void entryWithoutChangesIsRefused() {
        assertEquals("invalid transaction: no changes: must have at least one change", malformed("{\"Changes\":[]}").getMessage());
        malformed("{}");
    }

    @Test
    void entryWithUnknownFieldIsRefused() {
        assertTrue(malformed("{\"Changes\":[{\"Op\":\"CREATE\",\"Kind\":\"TASK\",\"ID\":\"t\",\"Colour\":1}]}").getMessage().contains("Colour"));
    }

    @Test
    void entryWithUnknownKindIsRefused() {
        malformed("{\"Changes\":[{\"Op\":\"CREATE\",\"Kind\":\"VOLUME\",\"ID\":\"v\",\"Value\":{}}]}");
    }

    @Test
    void entryWithUnknownOpIsRefused() {
        malformed("{\"Changes\":[{\"Op\":\"UPSERT\",\"Kind\":\"TASK\",\"ID\":\"t\",\"Value\":{}}]}");
    }

    @Test
    void valueWithoutKindIsRefused() {
        assertEquals("invalid Changes[0].Kind: null: must be SWARM, NODE, SERVICE or TASK",
                malformed("{\"Changes\":[{\"Op\":\"CREATE\",\"ID\":\"t\",\"Value\":{\"ID\":\"t\"}}]}").getMessage());
    }

    @Test
    void valueThatDoesNotFitItsKindIsRefused() {
        ApiException e = malformed("{\"Changes\":[{\"Op\":\"CREATE\",\"Kind\":\"TASK\",\"ID\":\"t\",\"Value\":{\"ID\":\"t\",\"Slot\":\"first\"}}]}");
        assertTrue(e.getMessage().startsWith("malformed request: Changes[0].Value is not a Task"), e.getMessage());
    }
}
