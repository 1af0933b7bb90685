package dev.shoal.controlplane.store;

import dev.shoal.api.codec.Json;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.Swarm;
import dev.shoal.api.model.Task;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.ratis.server.protocol.TermIndex;

/**
 * A snapshot file: the whole {@link StoreView} as JSON, with the Raft term and index it was taken
 * at (the last entry applied, which may be later than the view's index when the last entries were
 * refused transactions or Raft's own entries).
 *
 * <p>Written to {@code <name>.tmp}, forced to disk, then renamed over {@code <name>}: a crash
 * leaves either the old set of snapshots or the new one complete, never half a file under a
 * snapshot's name. Objects are written sorted by id so that two members' snapshots of the same
 * state are the same bytes.
 */
final class SnapshotCodec {
    /** Bumped when the layout changes incompatibly; a reader refuses a format it does not know. */
    static final int FORMAT = 1;
    static final String TMP_SUFFIX = ".tmp";

    record SnapshotFile(int format, long term, long index, long viewIndex, Swarm swarm,
                        List<Node> nodes, List<Service> services, List<Task> tasks) {}

    /** What a snapshot file holds. */
    record Loaded(TermIndex applied, StoreView view) {}

    private SnapshotCodec() {}

    static void write(Path file, TermIndex applied, StoreView view) throws IOException {
        SnapshotFile body = new SnapshotFile(FORMAT, applied.getTerm(), applied.getIndex(), view.index(), view.swarm(),
                sorted(view.nodes().values(), n -> n.id().value()),
                sorted(view.services().values(), s -> s.id().value()),
                sorted(view.tasks().values(), t -> t.id().value()));
        Path tmp = file.resolveSibling(file.getFileName() + TMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            Json.mapper().writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, body);
            out.flush();
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(file.getParent());
    }

    static Loaded read(Path file) throws IOException {
        SnapshotFile body;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            body = Json.mapper().readerFor(SnapshotFile.class).without(JsonParser.Feature.AUTO_CLOSE_SOURCE).readValue(in);
        }
        if (body.format() != FORMAT) {
            throw new IOException("snapshot " + file + " has format " + body.format() + ", this version reads format " + FORMAT);
        }
        StoreView view = new StoreView(body.viewIndex(), body.swarm(),
                byId(body.nodes(), Node::id), byId(body.services(), Service::id), byId(body.tasks(), Task::id));
        return new Loaded(TermIndex.valueOf(body.term(), body.index()), view);
    }

    private static <T> List<T> sorted(Collection<T> values, Function<T, String> id) {
        return values.stream().sorted(Comparator.comparing(id)).toList();
    }

    private static <K, V> Map<K, V> byId(List<V> values, Function<V, K> id) {
        if (values == null) {
            return Map.of();
        }
        Map<K, V> map = HashMap.newHashMap(values.size());
        for (V v : values) {
            map.put(id.apply(v), v);
        }
        return map;
    }

    /** Makes a rename durable: on Linux a directory can be opened and forced. */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // not supported on every platform; the rename itself is still atomic
        }
    }

    /** Removes {@code *.tmp} files a crash left behind mid-write. */
    static void deleteLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.newDirectoryStream(dir, "*" + TMP_SUFFIX)) {
            for (Path p : files) {
                Files.deleteIfExists(p);
            }
        }
    }
}
