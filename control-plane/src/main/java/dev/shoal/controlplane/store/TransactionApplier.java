package dev.shoal.controlplane.store;

import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.ServiceId;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.Swarm;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Applies one {@link Transaction} to a {@link StoreView}: the checks of {@link Change} and the
 * service-name rule, then the new view and its events. A pure function of (view, transaction,
 * index): it runs identically on every member and on every replay, so a refusal is the same
 * everywhere and writes nothing anywhere.
 *
 * <p>Cost: the view's maps are {@link PersistentMap}s; a transaction costs O(changes · log n) and
 * the new view shares every untouched object, and every untouched kind's map, with the previous
 * one. Nothing is copied wholesale, however large the store.
 *
 * <p>Thread-safety: stateless; each call works on its own overlay.
 */
final class TransactionApplier {
    /** The outcome of a transaction that passed its checks. */
    record Applied(StoreView view, List<StoreEvent> events) {}

    private TransactionApplier() {}

    /**
     * Checks the shape of a transaction without looking at the store: every change names an
     * operation, a kind and an id, carries a value of that kind where one is needed, and changes
     * an object at most once. The same checks run before a commit is sent and again when the log
     * entry is applied.
     *
     * @throws ApiException INVALID_ARGUMENT naming the change and the rule
     */
    static void validate(Transaction tx) {
        if (tx == null) {
            throw new ApiException(ErrorCode.INVALID_ARGUMENT, "invalid transaction: null: must have at least one change");
        }
        Map<String, Integer> seen = new HashMap<>();
        List<Change> changes = tx.changes();
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            String at = "Changes[" + i + "]";
            if (c.op() == null) {
                throw ApiException.invalid(at + ".Op", null, "must be CREATE, UPDATE or DELETE");
            }
            if (c.kind() == null) {
                throw ApiException.invalid(at + ".Kind", null, "must be SWARM, NODE, SERVICE or TASK");
            }
            if (c.id() == null || c.id().isBlank()) {
                throw ApiException.invalid(at + ".ID", c.id() == null ? null : "\"" + c.id() + "\"", "must not be empty");
            }
            switch (c.op()) {
                case CREATE, UPDATE -> checkValue(at, c);
                case DELETE -> {
                    if (c.value() != null) {
                        throw ApiException.invalid(at + ".Value", c.value().getClass().getSimpleName(), "a DELETE carries no value, only the expected version");
                    }
                }
            }
            if (c.op() == Change.Op.UPDATE || c.op() == Change.Op.DELETE) {
                Version quoted = c.op() == Change.Op.UPDATE ? Kind.versionOf(c.value()) : null;
                if (c.expected() == null && quoted == null) {
                    throw ApiException.invalid(at + ".Expected", null, article(c.op()) + " must quote the version it read");
                }
                if (c.expected() != null && quoted != null && !c.expected().equals(quoted)) {
                    throw ApiException.invalid(at + ".Expected", c.expected().index(), "must equal the version of the value (" + quoted.index() + ")");
                }
            }
            Integer earlier = seen.putIfAbsent(c.kind() + "/" + c.id(), i);
            if (earlier != null) {
                throw ApiException.invalid(at + ".ID", c.id(),
                        name(c.kind()) + " " + c.id() + " is already changed by Changes[" + earlier + "]; a transaction changes an object once");
            }
        }
    }

    private static void checkValue(String at, Change c) {
        Object value = c.value();
        if (value == null) {
            throw ApiException.invalid(at + ".Value", null, article(c.op()) + " needs the object");
        }
        if (!c.kind().type().isInstance(value)) {
            throw ApiException.invalid(at + ".Value", value.getClass().getSimpleName(), "must be a " + c.kind().type().getSimpleName() + " for kind " + c.kind());
        }
        String valueId = idOrNull(value);
        if (!c.id().equals(valueId)) {
            throw ApiException.invalid(at + ".ID", c.id(), "must equal the ID of the value (" + valueId + ")");
        }
        if (value instanceof Service s && (s.spec() == null || s.spec().name() == null || s.spec().name().isBlank())) {
            throw ApiException.invalid(at + ".Value.Spec.Name", s.spec() == null ? null : s.spec().name(), "a service must have a name");
        }
    }

    private static String article(Change.Op op) {
        return (op == Change.Op.UPDATE ? "an " : "a ") + op;
    }

    private static String idOrNull(Object value) {
        return switch (value) {
            case Swarm s -> s.id();
            case Node n -> n.id() == null ? null : n.id().value();
            case Service s -> s.id() == null ? null : s.id().value();
            case Task t -> t.id() == null ? null : t.id().value();
            default -> null;
        };
    }

    /**
     * Applies {@code tx} on top of {@code base} as the log entry at {@code index}.
     *
     * @return the view at {@code index} and the events of the transaction, in its order
     * @throws ApiException INVALID_ARGUMENT for a malformed transaction, else ALREADY_EXISTS,
     *                      NOT_FOUND or CONFLICT for the first change whose check fails
     */
    static Applied apply(StoreView base, Transaction tx, long index, Instant now) {
        validate(tx);
        Version version = new Version(index);
        Table<String, Swarm> swarms = new Table<>(base.swarm() == null ? Map.of() : Map.of(base.swarm().id(), base.swarm()), Function.identity());
        Table<NodeId, Node> nodes = new Table<>(base.nodes(), NodeId::of);
        Table<ServiceId, Service> services = new Table<>(base.services(), ServiceId::of);
        Table<TaskId, Task> tasks = new Table<>(base.tasks(), TaskId::of);
        List<StoreEvent> events = new ArrayList<>(tx.changes().size());

        for (Change c : tx.changes()) {
            Table<?, ?> table = switch (c.kind()) {
                case SWARM -> swarms;
                case NODE -> nodes;
                case SERVICE -> services;
                case TASK -> tasks;
            };
            Object current = table.get(c.id());
            switch (c.op()) {
                case CREATE -> {
                    if (current != null) {
                        throw alreadyExists(c.kind(), c.id());
                    }
                    if (c.kind() == Kind.SWARM && !swarms.isEmpty()) {
                        throw new ApiException(ErrorCode.ALREADY_EXISTS, "a swarm already exists: " + swarms.anyKey());
                    }
                    if (c.value() instanceof Service s) {
                        checkNameFree(services, s);
                    }
                    Object after = Kind.withVersion(c.value(), version);
                    table.putUnchecked(c.id(), after);
                    events.add(new StoreEvent(index, now, c.kind(), StoreEvent.Action.CREATE, c.id(), null, after));
                }
                case UPDATE -> {
                    checkVersion(c, current, expected(c));
                    if (c.value() instanceof Service s) {
                        checkNameFree(services, s);
                    }
                    Object after = Kind.withVersion(c.value(), version);
                    table.putUnchecked(c.id(), after);
                    events.add(new StoreEvent(index, now, c.kind(), StoreEvent.Action.UPDATE, c.id(), current, after));
                }
                case DELETE -> {
                    checkVersion(c, current, c.expected());
                    table.remove(c.id());
                    events.add(new StoreEvent(index, now, c.kind(), StoreEvent.Action.REMOVE, c.id(), current, null));
                }
            }
        }

        Map<String, Swarm> swarmMap = swarms.build();
        Swarm swarm = swarmMap.isEmpty() ? null : swarmMap.values().iterator().next();
        StoreView view = new StoreView(index, swarm, nodes.build(), services.build(), tasks.build());
        return new Applied(view, List.copyOf(events));
    }

    private static Version expected(Change c) {
        return c.expected() != null ? c.expected() : Kind.versionOf(c.value());
    }

    private static void checkVersion(Change c, Object current, Version expected) {
        if (current == null) {
            throw ApiException.notFound(name(c.kind()), c.id());
        }
        Version actual = Kind.versionOf(current);
        if (!expected.equals(actual)) {
            // swarmkit's wording (ErrSequenceConflict), for deletes as well as updates
            throw new ApiException(ErrorCode.CONFLICT, "update out of sequence: " + name(c.kind()) + " " + c.id()
                    + " is at version " + (actual == null ? "none" : actual.index())
                    + ", the request was based on version " + expected.index());
        }
    }

    private static void checkNameFree(Table<ServiceId, Service> services, Service candidate) {
        String name = candidate.spec().name();
        Service other = services.find(s -> !s.id().equals(candidate.id()) && s.spec() != null && name.equals(s.spec().name()));
        if (other != null) {
            throw new ApiException(ErrorCode.ALREADY_EXISTS, "service name " + name + " is already in use by service " + other.id().value());
        }
    }

    private static ApiException alreadyExists(Kind kind, String id) {
        return new ApiException(ErrorCode.ALREADY_EXISTS, name(kind) + " " + id + " already exists");
    }

    static String name(Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /**
     * One kind's map as the transaction sees it: the base view's map plus the writes so far. A
     * removed key maps to null in {@code writes}. {@link #build()} applies the writes to the
     * persistent base map, each in O(log n), or returns the base map itself when nothing was
     * written, so untouched kinds are shared with the previous view.
     */
    private static final class Table<K, V> {
        private final PersistentMap<K, V> base;
        private final Function<String, K> key;
        private final LinkedHashMap<K, V> writes = new LinkedHashMap<>();

        Table(Map<K, V> base, Function<String, K> key) {
            this.base = PersistentMap.copyOf(base);
            this.key = key;
        }

        V get(String id) {
            K k = key.apply(id);
            return writes.containsKey(k) ? writes.get(k) : base.get(k);
        }

        @SuppressWarnings("unchecked")
        void putUnchecked(String id, Object value) {
            writes.put(key.apply(id), (V) value);
        }

        void remove(String id) {
            writes.put(key.apply(id), null);
        }

        boolean isEmpty() {
            return anyKey() == null;
        }

        K anyKey() {
            for (Map.Entry<K, V> e : writes.entrySet()) {
                if (e.getValue() != null) {
                    return e.getKey();
                }
            }
            for (K k : base.keySet()) {
                if (!writes.containsKey(k)) {
                    return k;
                }
            }
            return null;
        }

        /** The first value, as the transaction sees them, that matches, or null. */
        V find(Predicate<V> test) {
            for (V v : writes.values()) {
                if (v != null && test.test(v)) {
                    return v;
                }
            }
            for (Map.Entry<K, V> e : base.entrySet()) {
                if (!writes.containsKey(e.getKey()) && test.test(e.getValue())) {
                    return e.getValue();
                }
            }
            return null;
        }

        Map<K, V> build() {
            PersistentMap<K, V> out = base;
            for (Map.Entry<K, V> e : writes.entrySet()) {
                out = e.getValue() == null ? out.minus(e.getKey()) : out.plus(e.getKey(), e.getValue());
            }
            return out;
        }
    }
}
