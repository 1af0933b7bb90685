package dev.shoal.cli.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Which manager an agent dials next: the leader an earlier refusal named, if any, else the known
 * managers in turn, so that a node whose manager went away reaches another one.
 */
final class ManagerDirectory {
    private final Supplier<List<String>> known;
    private final AtomicInteger turn = new AtomicInteger();
    private volatile String hint;

    ManagerDirectory(Supplier<List<String>> known) {
        this.known = known;
    }

    /** Remembers the leader's address, learned from a refusal. */
    void leaderIs(String address) {
        hint = address;
    }

    /** The address to dial now. */
    String next() {
        String h = hint;
        if (h != null) {
            hint = null;
            return h;
        }
        List<String> all = new ArrayList<>(known.get());
        if (all.isEmpty()) {
            throw new IllegalStateException("no manager address is known");
        }
        return all.get(Math.floorMod(turn.getAndIncrement(), all.size()));
    }

    List<String> known() {
        return known.get();
    }
}
