package dev.shoal.controlplane.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.model.Service;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.server.protocol.TermIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotCodecTest {
    @TempDir
    Path dir;

    private static StoreView sampleView() {
        Service web = Fixtures.service("web");
        List<Change> changes = new ArrayList<>(List.of(Change.create(Fixtures.swarm()), Change.create(Fixtures.node("n1")), Change.create(web)));
        for (int slot = 1; slot <= 3; slot++) {
            changes.add(Change.create(Fixtures.task(web, slot)));
        }
        return TransactionApplier.apply(StoreView.EMPTY, new Transaction(changes), 7, Fixtures.NOW).view();
    }

    @Test
    void viewRoundTripsWithTheAppliedTermIndex() throws IOException {
        StoreView view = sampleView();
        Path file = dir.resolve("snapshot.2_9");
        SnapshotCodec.write(file, TermIndex.valueOf(2, 9), view);

        SnapshotCodec.Loaded loaded = SnapshotCodec.read(file);
        assertEquals(TermIndex.valueOf(2, 9), loaded.applied());
        assertEquals(view, loaded.view());
        assertFalse(Files.exists(dir.resolve("snapshot.2_9" + SnapshotCodec.TMP_SUFFIX)));
    }

    @Test
    void sameStateWritesTheSameBytes() throws IOException {
        StoreView view = sampleView();
        SnapshotCodec.write(dir.resolve("a"), TermIndex.valueOf(1, 7), view);
        SnapshotCodec.write(dir.resolve("b"), TermIndex.valueOf(1, 7), SnapshotCodec.read(dir.resolve("a")).view());
        assertEquals(Files.readString(dir.resolve("a")), Files.readString(dir.resolve("b")));
    }

    @Test
    void snapshotOfAnUnknownFormatIsRefused() throws IOException {
        Path file = dir.resolve("snapshot.1_1");
        Files.writeString(file, "{\"Format\":99,\"Term\":1,\"Index\":1,\"ViewIndex\":1,\"Nodes\":[],\"Services\":[],\"Tasks\":[]}");
        IOException e = assertThrows(IOException.class, () -> SnapshotCodec.read(file));
        assertTrue(e.getMessage().contains("format 99"), e.getMessage());
    }

    @Test
    void truncatedSnapshotIsRefused() throws IOException {
        Path file = dir.resolve("snapshot.1_1");
        SnapshotCodec.write(file, TermIndex.valueOf(1, 7), sampleView());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThrows(IOException.class, () -> SnapshotCodec.read(file));
    }

    @Test
    void leftoverTemporaryFilesAreDeleted() throws IOException {
        Path tmp = dir.resolve("snapshot.3_30" + SnapshotCodec.TMP_SUFFIX);
        Files.write(tmp, "{\"half".getBytes(StandardCharsets.UTF_8));
        Path kept = dir.resolve("snapshot.3_20");
        Files.writeString(kept, "{}");
        SnapshotCodec.deleteLeftovers(dir);
        assertFalse(Files.exists(tmp));
        assertTrue(Files.exists(kept));
    }
}
