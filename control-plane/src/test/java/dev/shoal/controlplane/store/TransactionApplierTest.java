package dev.shoal.controlplane.store;

import static dev.shoal.controlplane.store.Fixtures.NOW;
import static dev.shoal.controlplane.store.Fixtures.service;
import static dev.shoal.controlplane.store.Fixtures.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.Swarm;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.Version;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks and the bookkeeping of one transaction, without Raft. */
class TransactionApplierTest {
    private static TransactionApplier.Applied apply(StoreView base, long index, Change... changes) {
        return TransactionApplier.apply(base, Transaction.of(changes), index, NOW);
    }

    private static ApiException refused(StoreView base, long index, Change... changes) {
        return assertThrows(ApiException.class, () -> apply(base, index, changes));
    }

    @Test
    void createStampsTheCommitIndexAsVersionAndEmitsCreate() {
        Service web = service("web");
        TransactionApplier.Applied a = apply(StoreView.EMPTY, 5, Change.create(web));

        Service stored = a.view().services().get(web.id());
        assertEquals(new Version(5), stored.version());
        assertEquals(web.withVersion(new Version(5)), stored);
        assertEquals(5, a.view().index());
        assertEquals(List.of(new StoreEvent(5, NOW, Kind.SERVICE, StoreEvent.Action.CREATE, web.id().value(), null, stored)), a.events());
    }

    @Test
    void updateAndDeleteQuoteTheVersionTheyRead() {
        Service web = service("web");
        StoreView v5 = apply(StoreView.EMPTY, 5, Change.create(web)).view();
        Service read = v5.services().get(web.id());

        TransactionApplier.Applied updated = apply(v5, 6, Change.update(read.withSpec(read.spec().withReplicas(7), NOW)));
        Service afterUpdate = updated.view().services().get(web.id());
        assertEquals(new Version(6), afterUpdate.version());
        assertEquals(7, afterUpdate.spec().replicas());
        assertEquals(read, updated.events().getFirst().before());

        TransactionApplier.Applied deleted = apply(updated.view(), 7, Change.delete(afterUpdate));
        assertTrue(deleted.view().services().isEmpty());
        assertEquals(new StoreEvent(7, NOW, Kind.SERVICE, StoreEvent.Action.REMOVE, web.id().value(), afterUpdate, null), deleted.events().getFirst());
    }

    @Test
    void createOfAnExistingIdIsRefused() {
        Service web = service("web");
        StoreView v = apply(StoreView.EMPTY, 3, Change.create(web)).view();
        ApiException e = refused(v, 4, Change.create(web.withSpec(web.spec(), NOW)));
        assertEquals(ErrorCode.ALREADY_EXISTS, e.code());
        assertEquals("service " + web.id().value() + " already exists", e.getMessage());
    }

    @Test
    void staleUpdateIsRefusedAsOutOfSequence() {
        Service web = service("web");
        StoreView v3 = apply(StoreView.EMPTY, 3, Change.create(web)).view();
        Service read = v3.services().get(web.id());
        StoreView v4 = apply(v3, 4, Change.update(read.withSpec(read.spec().withReplicas(2), NOW))).view();

        ApiException e = refused(v4, 5, Change.update(read.withSpec(read.spec().withReplicas(9), NOW)));
        assertEquals(ErrorCode.CONFLICT, e.code());
        assertEquals("update out of sequence: service " + web.id().value() + " is at version 4, the request was based on version 3", e.getMessage());
    }

    @Test
    void staleDeleteIsRefusedAsOutOfSequence() {
        Service web = service("web");
        StoreView v3 = apply(StoreView.EMPTY, 3, Change.create(web)).view();
        ApiException e = refused(v3, 4, Change.delete(web.withVersion(new Version(2))));
        assertEquals(ErrorCode.CONFLICT, e.code());
        assertTrue(e.getMessage().startsWith("update out of sequence: service "), e.getMessage());
    }

    @Test
    void updateOfAMissingObjectIsNotFound() {
        Task t = task(service("web"), 1).withVersion(new Version(1));
        ApiException e = refused(StoreView.EMPTY, 2, Change.update(t));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
        assertEquals("task " + t.id().value() + " not found", e.getMessage());
    }

    @Test
    void deleteOfAMissingObjectIsNotFound() {
        Task t = task(service("web"), 1).withVersion(new Version(1));
        assertEquals(ErrorCode.NOT_FOUND, refused(StoreView.EMPTY, 2, Change.delete(t)).code());
    }

    @Test
    void serviceNameTakenByAnotherServiceIsRefusedOnCreate() {
        Service first = service("web");
        StoreView v = apply(StoreView.EMPTY, 2, Change.create(first)).view();
        ApiException e = refused(v, 3, Change.create(service("web")));
        assertEquals(ErrorCode.ALREADY_EXISTS, e.code());
        assertEquals("service name web is already in use by service " + first.id().value(), e.getMessage());
    }

    @Test
    void serviceNameTakenByAnotherServiceIsRefusedOnUpdate() {
        Service web = service("web");
        Service api = service("api");
        StoreView v = apply(StoreView.EMPTY, 2, Change.create(web), Change.create(api)).view();
        Service apiRead = v.services().get(api.id());
        ServiceSpec renamed = new ServiceSpec("web", null, apiRead.spec().taskTemplate(), apiRead.spec().mode());
        ApiException e = refused(v, 3, Change.update(apiRead.withSpec(renamed, NOW)));
        assertEquals(ErrorCode.ALREADY_EXISTS, e.code());
        assertEquals("service name web is already in use by service " + web.id().value(), e.getMessage());
    }

    @Test
    void serviceMayKeepItsOwnNameOnUpdate() {
        Service web = service("web");
        StoreView v = apply(StoreView.EMPTY, 2, Change.create(web)).view();
        Service read = v.services().get(web.id());
        assertEquals(3, apply(v, 3, Change.update(read.withSpec(read.spec().withReplicas(1), NOW))).view().index());
    }

    @Test
    void twoNewServicesWithOneNameInOneTransactionAreRefused() {
        assertEquals(ErrorCode.ALREADY_EXISTS, refused(StoreView.EMPTY, 2, Change.create(service("web")), Change.create(service("web"))).code());
    }

    @Test
    void nameFreedByADeleteInTheSameTransactionCanBeTaken() {
        Service old = service("web");
        StoreView v = apply(StoreView.EMPTY, 2, Change.create(old)).view();
        Service replacement = service("web");
        StoreView after = apply(v, 3, Change.delete(v.services().get(old.id())), Change.create(replacement)).view();
        assertEquals(replacement.id(), after.serviceByName("web").orElseThrow().id());
    }

    @Test
    void oneFailingChangeRefusesTheWholeTransaction() {
        Service web = service("web");
        StoreView v = apply(StoreView.EMPTY, 2, Change.create(web)).view();
        Task fresh = task(web, 1);
        Task ghost = task(web, 2).withVersion(new Version(1));

        ApiException e = refused(v, 3, Change.create(fresh), Change.update(ghost));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
        // the base view is untouched: views are immutable
        assertTrue(v.tasks().isEmpty());
        assertEquals(2, v.index());
    }

    @Test
    void untouchedKindsShareTheirMapWithThePreviousView() {
        Service web = service("web");
        StoreView v = apply(StoreView.EMPTY, 2, Change.create(web), Change.create(Fixtures.node("n1"))).view();
        List<Change> creates = new ArrayList<>();
        for (int slot = 1; slot <= 50; slot++) {
            creates.add(Change.create(task(web, slot)));
        }
        StoreView after = TransactionApplier.apply(v, new Transaction(creates), 3, NOW).view();
        assertEquals(50, after.tasks().size());
        assertSame(v.services(), after.services());
        assertSame(v.nodes(), after.nodes());
        assertTrue(after.tasks().values().stream().allMatch(t -> t.version().equals(new Version(3))));
    }

    @Test
    void swarmIsCreatedOnceUpdatedAndDeleted() {
        Swarm s = Fixtures.swarm();
        StoreView v = apply(StoreView.EMPTY, 1, Change.create(s)).view();
        assertEquals(new Version(1), v.swarm().version());
        assertEquals(ErrorCode.ALREADY_EXISTS, refused(v, 2, Change.create(Fixtures.swarm())).code());
        StoreView updated = apply(v, 2, Change.update(v.swarm())).view();
        assertEquals(new Version(2), updated.swarm().version());
        assertNull(apply(updated, 3, Change.delete(updated.swarm())).view().swarm());
    }

    // --- bad input: each kind of malformed transaction has its own test ---

    @Test
    void nullTransactionIsInvalid() {
        ApiException e = assertThrows(ApiException.class, () -> TransactionApplier.validate(null));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }

    @Test
    void emptyTransactionCannotBeBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new Transaction(List.of()));
    }

    @Test
    void changeWithoutOpIsInvalid() {
        Service web = service("web");
        ApiException e = refused(StoreView.EMPTY, 1, new Change(null, Kind.SERVICE, web.id().value(), null, web));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals("invalid Changes[0].Op: null: must be CREATE, UPDATE or DELETE", e.getMessage());
    }

    @Test
    void changeWithoutKindIsInvalid() {
        Service web = service("web");
        ApiException e = refused(StoreView.EMPTY, 1, new Change(Change.Op.CREATE, null, web.id().value(), null, web));
        assertEquals("invalid Changes[0].Kind: null: must be SWARM, NODE, SERVICE or TASK", e.getMessage());
    }

    @Test
    void changeWithBlankIdIsInvalid() {
        Service web = service("web");
        ApiException e = refused(StoreView.EMPTY, 1, new Change(Change.Op.CREATE, Kind.SERVICE, " ", null, web));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().startsWith("invalid Changes[0].ID"), e.getMessage());
    }

    @Test
    void createWithoutValueIsInvalid() {
        ApiException e = refused(StoreView.EMPTY, 1, new Change(Change.Op.CREATE, Kind.TASK, "t1", null, null));
        assertEquals("invalid Changes[0].Value: null: a CREATE needs the object", e.getMessage());
    }

    @Test
    void valueOfAnotherKindIsInvalid() {
        Service web = service("web");
        ApiException e = refused(StoreView.EMPTY, 1, new Change(Change.Op.CREATE, Kind.TASK, web.id().value(), null, web));
        assertEquals("invalid Changes[0].Value: Service: must be a Task for kind TASK", e.getMessage());
    }

    @Test
    void idThatIsNotTheValuesIdIsInvalid() {
        Service web = service("web");
        ApiException e = refused(StoreView.EMPTY, 1, new Change(Change.Op.CREATE, Kind.SERVICE, "other", null, web));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().startsWith("invalid Changes[0].ID: other: must equal the ID of the value"), e.getMessage());
    }

    @Test
    void updateWithoutAnyVersionIsInvalid() {
        Service web = service("web").withVersion(null);
        ApiException e = refused(StoreView.EMPTY, 1, Change.update(web));
        assertEquals("invalid Changes[0].Expected: null: an UPDATE must quote the version it read", e.getMessage());
    }

    @Test
    void updateWhoseExpectedVersionDisagreesWithItsValueIsInvalid() {
        Service web = service("web").withVersion(new Version(4));
        ApiException e = refused(StoreView.EMPTY, 1, new Change(Change.Op.UPDATE, Kind.SERVICE, web.id().value(), new Version(3), web));
        assertEquals("invalid Changes[0].Expected: 3: must equal the version of the value (4)", e.getMessage());
    }

    @Test
    void deleteWithoutVersionIsInvalid() {
        ApiException e = refused(StoreView.EMPTY, 1, new Change(Change.Op.DELETE, Kind.TASK, "t1", null, null));
        assertEquals("invalid Changes[0].Expected: null: a DELETE must quote the version it read", e.getMessage());
    }

    @Test
    void deleteCarryingAValueIsInvalid() {
        Service web = service("web");
        ApiException e = refused(StoreView.EMPTY, 1, new Change(Change.Op.DELETE, Kind.SERVICE, web.id().value(), new Version(1), web));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }

    @Test
    void serviceWithoutNameIsInvalid() {
        Service web = service("web");
        Service nameless = web.withSpec(new ServiceSpec(null, null, web.spec().taskTemplate(), web.spec().mode()), NOW);
        ApiException e = refused(StoreView.EMPTY, 1, Change.create(nameless));
        assertEquals("invalid Changes[0].Value.Spec.Name: null: a service must have a name", e.getMessage());
    }

    @Test
    void sameObjectChangedTwiceInOneTransactionIsInvalid() {
        Service web = service("web");
        StoreView v = apply(StoreView.EMPTY, 1, Change.create(web)).view();
        Service read = v.services().get(web.id());
        ApiException e = refused(v, 2, Change.update(read), Change.delete(read));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("is already changed by Changes[0]"), e.getMessage());
    }
}
