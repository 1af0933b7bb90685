package dev.shoal.cli.daemon;

import dev.shoal.api.id.NodeId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The layout of a daemon's data directory, and the lock that keeps a second daemon out of it.
 *
 * <pre>
 * DATA/shoal.lock        held while the daemon runs
 * DATA/node-id           this node's id, created once
 * DATA/executor/         the process executor's records and logs
 * DATA/swarm/state.json  present while the node is in a swarm ({@link SwarmState})
 * DATA/swarm/raft/       the Raft log and snapshots of a manager
 * </pre>
 */
final class DataDir implements AutoCloseable {
    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDir(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Creates the directory when missing and locks it.
     *
     * @throws IllegalStateException when another daemon holds the lock
     */
    static DataDir open(Path root) {
        try {
            Files.createDirectories(root);
            FileChannel channel = FileChannel.open(root.resolve("shoal.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("another shoal daemon is using the data directory " + root
                        + " (start this one with another --data-dir)");
            }
            return new DataDir(root, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the data directory " + root + ": " + e.getMessage(), e);
        }
    }

    Path root() {
        return root;
    }

    Path swarmDir() {
        return root.resolve("swarm");
    }

    Path raftDir() {
        return swarmDir().resolve("raft");
    }

    Path swarmStateFile() {
        return swarmDir().resolve("state.json");
    }

    Path executorDir() {
        return root.resolve("executor");
    }

    /** This node's id: read from {@code node-id}, or made and written there the first time. */
    NodeId nodeId() {
        Path file = root.resolve("node-id");
        try {
            if (Files.exists(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (id.isEmpty()) {
                    throw new IllegalStateException("the node id file " + file + " is empty; delete it to get a new node id");
                }
                return NodeId.of(id);
            }
            NodeId id = NodeId.random();
            writeAtomically(file, id.value() + "\n");
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the node id in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Replaces this node's id (the one the swarm's CA chose at join). */
    void writeNodeId(NodeId id) {
        Path file = root.resolve("node-id");
        try {
            writeAtomically(file, id.value() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the node id in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code content} to a temporary file next to {@code file}, then renames it into place. */
    static void writeAtomically(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes {@code dir} and everything under it; nothing when it does not exist. */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
