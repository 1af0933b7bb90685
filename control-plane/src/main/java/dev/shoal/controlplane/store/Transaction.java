package dev.shoal.controlplane.store;

import java.util.List;

/**
 * Changes applied atomically: all of them or none. A transaction whose checks fail (version,
 * existence, a service name already taken) is refused as a whole with an
 * {@link dev.shoal.api.error.ApiException} naming the first failed check, and nothing is written.
 */
public record Transaction(List<Change> changes) {
    public Transaction {
        changes = List.copyOf(changes);
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("empty transaction");
        }
    }

    public static Transaction of(Change... changes) {
        return new Transaction(List.of(changes));
    }
}
