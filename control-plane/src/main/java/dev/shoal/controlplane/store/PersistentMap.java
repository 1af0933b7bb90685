package dev.shoal.controlplane.store;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable hash map whose {@link #plus} and {@link #minus} return a new map sharing all but
 * one path with this one: a hash array mapped trie, 32-way, as Clojure's and Scala's persistent
 * maps and (with radix trees) swarmkit's go-memdb. A change costs O(log32 n) (four levels for a
 * million entries) instead of copying the whole map, which is what lets every commit produce a
 * new immutable {@link StoreView} cheaply.
 *
 * <p>Read-only as a {@link Map}: the mutators throw {@link UnsupportedOperationException}. Null
 * keys and values are refused, as {@link Map#copyOf} does. Equal to any {@link Map} with the same
 * entries. Iteration order is unspecified (by hash).
 *
 * <p>Thread-safe: immutable.
 */
final class PersistentMap<K, V> extends AbstractMap<K, V> {
    private static final int BITS = 5;
    private static final int MASK = (1 << BITS) - 1;
    private static final PersistentMap<?, ?> EMPTY = new PersistentMap<>(BitmapNode.EMPTY, 0);

    private final BitmapNode root;
    private final int size;
    private Set<Entry<K, V>> entrySet;

    private PersistentMap(BitmapNode root, int size) {
        this.root = root;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <K, V> PersistentMap<K, V> empty() {
        return (PersistentMap<K, V>) EMPTY;
    }

    /** {@code map} itself when it is a persistent map already, else a persistent copy of it. */
    @SuppressWarnings("unchecked")
    static <K, V> PersistentMap<K, V> copyOf(Map<? extends K, ? extends V> map) {
        if (map instanceof PersistentMap<?, ?> p) {
            return (PersistentMap<K, V>) p;
        }
        PersistentMap<K, V> out = empty();
        for (Entry<? extends K, ? extends V> e : map.entrySet()) {
            out = out.plus(e.getKey(), e.getValue());
        }
        return out;
    }

    /** This map with {@code key} mapped to {@code value}; this map itself if it already was. */
    PersistentMap<K, V> plus(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        boolean[] added = new boolean[1];
        BitmapNode r = root.put(0, hash(key), Map.entry(key, value), added);
        return r == root ? this : new PersistentMap<>(r, added[0] ? size + 1 : size);
    }

    /** This map without {@code key}; this map itself if it had no such key. */
    PersistentMap<K, V> minus(Object key) {
        if (key == null) {
            return this;
        }
        BitmapNode r = (BitmapNode) root.remove(0, hash(key), key);
        return r == root ? this : new PersistentMap<>(r, size - 1);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        if (key == null) {
            return null;
        }
        Entry<K, V> e = (Entry<K, V>) find(key);
        return e == null ? null : e.getValue();
    }

    @Override
    public boolean containsKey(Object key) {
        return key != null && find(key) != null;
    }

    private Entry<?, ?> find(Object key) {
        int h = hash(key);
        Object node = root;
        for (int shift = 0; ; shift += BITS) {
            if (node instanceof BitmapNode b) {
                int bit = 1 << ((h >>> shift) & MASK);
                if ((b.bitmap & bit) == 0) {
                    return null;
                }
                Object slot = b.slots[Integer.bitCount(b.bitmap & (bit - 1))];
                if (slot instanceof Entry<?, ?> e) {
                    return e.getKey().equals(key) ? e : null;
                }
                node = slot;
            } else {
                return ((CollisionNode) node).find(key);
            }
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        Set<Entry<K, V>> s = entrySet;
        if (s == null) {
            s = new AbstractSet<>() {
                @Override
                public Iterator<Entry<K, V>> iterator() {
                    return new EntryIterator<>(root);
                }

                @Override
                public int size() {
                    return size;
                }
            };
            entrySet = s;
        }
        return s;
    }

    private static int hash(Object key) {
        int h = key.hashCode();
        return h ^ (h >>> 16);
    }

    /**
     * A trie node: {@code bitmap} says which of the 32 branches exist; {@code slots} holds, in
     * branch order, either an entry (a leaf) or a child node. Never changed once built.
     */
    private static final class BitmapNode {
        static final BitmapNode EMPTY = new BitmapNode(0, new Object[0]);

        final int bitmap;
        final Object[] slots;

        BitmapNode(int bitmap, Object[] slots) {
            this.bitmap = bitmap;
            this.slots = slots;
        }

        BitmapNode put(int shift, int hash, Entry<?, ?> entry, boolean[] added) {
            int bit = 1 << ((hash >>> shift) & MASK);
            int i = Integer.bitCount(bitmap & (bit - 1));
            if ((bitmap & bit) == 0) {
                Object[] s = new Object[slots.length + 1];
                System.arraycopy(slots, 0, s, 0, i);
                s[i] = entry;
                System.arraycopy(slots, i, s, i + 1, slots.length - i);
                added[0] = true;
                return new BitmapNode(bitmap | bit, s);
            }
            Object slot = slots[i];
            Object replacement;
            if (slot instanceof Entry<?, ?> e) {
                if (e.getKey().equals(entry.getKey())) {
                    if (e.getValue() == entry.getValue()) {
                        return this;
                    }
                    replacement = entry;
                } else {
                    added[0] = true;
                    replacement = merge(e, PersistentMap.hash(e.getKey()), entry, hash, shift + BITS);
                }
            } else if (slot instanceof BitmapNode child) {
                BitmapNode c = child.put(shift + BITS, hash, entry, added);
                if (c == child) {
                    return this;
                }
                replacement = c;
            } else {
                CollisionNode child = (CollisionNode) slot;
                if (child.hash == hash) {
                    CollisionNode c = child.put(entry, added);
                    if (c == child) {
                        return this;
                    }
                    replacement = c;
                } else {
                    added[0] = true;
                    replacement = merge(child, child.hash, entry, hash, shift + BITS);
                }
            }
            Object[] s = slots.clone();
            s[i] = replacement;
            return new BitmapNode(bitmap, s);
        }

        /**
         * This node without {@code key}: this node when absent; else a node, or (for a node
         * left with a single entry and no children, below the root) that entry, to be inlined in
         * the parent so that paths stay as short as the keys need.
         */
        Object remove(int shift, int hash, Object key) {
            int bit = 1 << ((hash >>> shift) & MASK);
            if ((bitmap & bit) == 0) {
                return this;
            }
            int i = Integer.bitCount(bitmap & (bit - 1));
            Object slot = slots[i];
            Object replacement;
            if (slot instanceof Entry<?, ?> e) {
                if (!e.getKey().equals(key)) {
                    return this;
                }
                replacement = null;
            } else if (slot instanceof BitmapNode child) {
                Object c = child.remove(shift + BITS, hash, key);
                if (c == child) {
                    return this;
                }
                replacement = c;
            } else {
                CollisionNode child = (CollisionNode) slot;
                Object c = child.remove(key);
                if (c == child) {
                    return this;
                }
                replacement = c;
            }
            BitmapNode out;
            if (replacement == null) {
                if (slots.length == 1) {
                    return shift == 0 ? EMPTY : null;
                }
                Object[] s = new Object[slots.length - 1];
                System.arraycopy(slots, 0, s, 0, i);
                System.arraycopy(slots, i + 1, s, i, slots.length - i - 1);
                out = new BitmapNode(bitmap & ~bit, s);
            } else {
                Object[] s = slots.clone();
                s[i] = replacement;
                out = new BitmapNode(bitmap, s);
            }
            if (shift > 0 && out.slots.length == 1 && out.slots[0] instanceof Entry<?, ?> only) {
                return only;
            }
            return out;
        }

        /** A node holding {@code a} and {@code b}, whose hashes first differ at or after {@code shift}. */
        private static Object merge(Object a, int ha, Object b, int hb, int shift) {
            if (ha == hb) {
                return new CollisionNode(ha, new Entry<?, ?>[] {(Entry<?, ?>) a, (Entry<?, ?>) b});
            }
            // ha != hb, so some bit in 0..31 differs and shift never passes 30 before they part
            int ia = (ha >>> shift) & MASK;
            int ib = (hb >>> shift) & MASK;
            if (ia == ib) {
                return new BitmapNode(1 << ia, new Object[] {merge(a, ha, b, hb, shift + BITS)});
            }
            Object[] s = ia < ib ? new Object[] {a, b} : new Object[] {b, a};
            return new BitmapNode((1 << ia) | (1 << ib), s);
        }
    }

    /** Entries whose keys have the same full hash. */
    private static final class CollisionNode {
        final int hash;
        final Entry<?, ?>[] entries;

        CollisionNode(int hash, Entry<?, ?>[] entries) {
            this.hash = hash;
            this.entries = entries;
        }

        Entry<?, ?> find(Object key) {
            for (Entry<?, ?> e : entries) {
                if (e.getKey().equals(key)) {
                    return e;
                }
            }
            return null;
        }

        CollisionNode put(Entry<?, ?> entry, boolean[] added) {
            for (int i = 0; i < entries.length; i++) {
                if (entries[i].getKey().equals(entry.getKey())) {
                    if (entries[i].getValue() == entry.getValue()) {
                        return this;
                    }
                    Entry<?, ?>[] s = entries.clone();
                    s[i] = entry;
                    return new CollisionNode(hash, s);
                }
            }
            Entry<?, ?>[] s = Arrays.copyOf(entries, entries.length + 1);
            s[entries.length] = entry;
            added[0] = true;
            return new CollisionNode(hash, s);
        }

        /** This node without {@code key}: this node when absent, the last entry when one is left. */
        Object remove(Object key) {
            for (int i = 0; i < entries.length; i++) {
                if (entries[i].getKey().equals(key)) {
                    if (entries.length == 2) {
                        return entries[1 - i];
                    }
                    Entry<?, ?>[] s = new Entry<?, ?>[entries.length - 1];
                    System.arraycopy(entries, 0, s, 0, i);
                    System.arraycopy(entries, i + 1, s, i, entries.length - i - 1);
                    return new CollisionNode(hash, s);
                }
            }
            return this;
        }
    }

    /** Depth-first over the trie with an explicit stack (at most 7 levels plus a collision node). */
    private static final class EntryIterator<K, V> implements Iterator<Entry<K, V>> {
        private final Object[][] arrays = new Object[9][];
        private final int[] positions = new int[9];
        private int depth;
        private Entry<K, V> next;

        EntryIterator(BitmapNode root) {
            arrays[0] = root.slots;
            depth = 1;
            advance();
        }

        @SuppressWarnings("unchecked")
        private void advance() {
            next = null;
            while (depth > 0) {
                Object[] a = arrays[depth - 1];
                int p = positions[depth - 1];
                if (p >= a.length) {
                    depth--;
                    continue;
                }
                positions[depth - 1] = p + 1;
                Object o = a[p];
                if (o instanceof Entry<?, ?> e) {
                    next = (Entry<K, V>) e;
                    return;
                }
                arrays[depth] = o instanceof BitmapNode b ? b.slots : ((CollisionNode) o).entries;
                positions[depth] = 0;
                depth++;
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Entry<K, V> next() {
            Entry<K, V> e = next;
            if (e == null) {
                throw new NoSuchElementException();
            }
            advance();
            return e;
        }
    }
}
