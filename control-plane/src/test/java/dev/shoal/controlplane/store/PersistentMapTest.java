package dev.shoal.controlplane.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PersistentMapTest {
    /** A key whose hash the test chooses, to force shared prefixes and full collisions. */
    record Key(int hash, int id) {
        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static void assertSameContent(Map<Key, Integer> expected, PersistentMap<Key, Integer> actual) {
        assertEquals(expected.size(), actual.size());
        assertEquals(expected, actual);
        assertEquals(actual, expected);
        assertEquals(expected.hashCode(), actual.hashCode());
        for (Map.Entry<Key, Integer> e : expected.entrySet()) {
            assertEquals(e.getValue(), actual.get(e.getKey()));
            assertTrue(actual.containsKey(e.getKey()));
        }
        assertEquals(expected.keySet(), new HashSet<>(actual.keySet()));
    }

    @Test
    void randomPutsAndRemovesMatchHashMapIncludingCollisions() {
        Random random = new Random(42);
        // spread hashes; hashes differing only in their top bits (long shared paths); three hashes
        // in all (full collisions)
        for (int mode = 0; mode < 3; mode++) {
            Map<Key, Integer> expected = new HashMap<>();
            PersistentMap<Key, Integer> actual = PersistentMap.empty();
            for (int step = 0; step < 6_000; step++) {
                int hash = switch (mode) {
                    case 0 -> random.nextInt();
                    case 1 -> random.nextInt(64) << 26;
                    default -> random.nextInt(3);
                };
                Key k = new Key(hash, random.nextInt(600));
                if (random.nextInt(3) == 0) {
                    expected.remove(k);
                    actual = actual.minus(k);
                } else {
                    int v = random.nextInt(1000);
                    expected.put(k, v);
                    actual = actual.plus(k, v);
                }
                if (step % 1500 == 0) {
                    assertSameContent(expected, actual);
                }
            }
            assertSameContent(expected, actual);
            for (Key k : expected.keySet().toArray(new Key[0])) {
                actual = actual.minus(k);
            }
            assertTrue(actual.isEmpty());
            assertFalse(actual.entrySet().iterator().hasNext());
        }
    }

    @Test
    void olderVersionsAreUnchangedByLaterOnes() {
        PersistentMap<String, Integer> v1 = PersistentMap.<String, Integer>empty().plus("a", 1).plus("b", 2);
        PersistentMap<String, Integer> v2 = v1.plus("a", 10).minus("b").plus("c", 3);
        assertEquals(Map.of("a", 1, "b", 2), v1);
        assertEquals(Map.of("a", 10, "c", 3), v2);
    }

    @Test
    void noOpChangesReturnTheSameMap() {
        Integer one = 1;
        PersistentMap<String, Integer> m = PersistentMap.<String, Integer>empty().plus("a", one);
        assertSame(m, m.plus("a", one));
        assertSame(m, m.minus("missing"));
        assertSame(m, PersistentMap.copyOf(m));
    }

    @Test
    void nullsAreRefusedAndMutatorsThrow() {
        PersistentMap<String, Integer> m = PersistentMap.<String, Integer>empty().plus("a", 1);
        assertThrows(NullPointerException.class, () -> m.plus(null, 1));
        assertThrows(NullPointerException.class, () -> m.plus("b", null));
        assertThrows(NullPointerException.class, () -> PersistentMap.copyOf(new HashMap<>(java.util.Collections.singletonMap("x", null))));
        assertThrows(UnsupportedOperationException.class, () -> m.put("b", 2));
        assertThrows(UnsupportedOperationException.class, () -> m.remove("a"));
        assertThrows(UnsupportedOperationException.class, m::clear);
        assertNull(m.get(null));
    }
}
