package dev.shoal.tests;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small virtual LAN of hosts on this machine, for tests that need several nodes with their own
 * addresses: each host is a Linux network namespace with one interface, {@code eth0}, plugged into
 * a bridge that lives in a namespace of its own (the hub). Nothing is added to the machine's own
 * namespace, so traffic of the LAN never leaves it and never reaches the machine's interfaces.
 *
 * <pre>
 *   shoalnet-k3x9a-hub:  br0 ── veth-h1 ── veth-h2 ── veth-h3
 *                                  │          │          │
 *   shoalnet-k3x9a-h1:  eth0 10.a.b.1/24      │          │
 *   shoalnet-k3x9a-h2:             eth0 10.a.b.2/24      │
 *   shoalnet-k3x9a-h3:                        eth0 10.a.b.3/24
 * </pre>
 *
 * <p>Every instance has its own prefix ({@value #MARKER} and five random characters) and its own
 * /24 in 10.200.0.0–10.249.255.0, so parallel and leftover LANs never collide. {@link #close()}
 * deletes the namespaces (which deletes their links); a JVM shutdown hook does the same if the JVM
 * exits without closing; and {@link #removeLeftovers()}, also run by {@link #create(int)}, deletes
 * the namespaces of LANs whose creating JVM died without either (SIGKILL). Which JVM made a LAN is
 * recorded before its first namespace exists, in {@code /tmp/shoal-netns/<prefix>.pid}.
 *
 * <p>Needs root and iproute2. Thread-safe: {@link #disconnect}, {@link #reconnect} and the
 * {@link Host} methods may be called from any thread; {@link #close()} is idempotent.
 */
public final class NetworkHosts implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetworkHosts.class);

    /** Start of the name of every namespace this harness makes, and of nothing else. */
    public static final String MARKER = "shoalnet-";
    /** Where each LAN records the JVM that made it: {@code <prefix>.pid} holds "pid start-millis". */
    public static final Path OWNERS = Path.of("/tmp/shoal-netns");
    /** The bridge in the hub namespace. */
    public static final String BRIDGE = "br0";
    /** The interface of a host, as on a real machine. */
    public static final String HOST_INTERFACE = "eth0";
    /** At most this many hosts: their addresses are .1 to .250 of the LAN's /24. */
    public static final int MAX_HOSTS = 250;

    private static final Duration IP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(30);
    private static final String ID_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static final int ID_LENGTH = 5;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String prefix;
    private final String subnet;
    private final String hubNamespace;
    private final List<Host> hosts = new CopyOnWriteArrayList<>();
    /** The namespaces made so far, in order of creation: clean-up deletes these and nothing else. */
    private final List<String> created = new CopyOnWriteArrayList<>();
    /** Processes started through {@link Host#start}: ended, by their handles, at close. */
    private final List<Process> started = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private NetworkHosts(String prefix, String subnet) {
        this.prefix = prefix;
        this.subnet = subnet;
        this.hubNamespace = prefix + "-hub";
        this.shutdownHook = new Thread(this::cleanUpQuietly, "shoal-netns-cleanup-" + prefix);
    }

    /**
     * Makes a LAN of {@code n} hosts, all up and able to reach each other, after removing the
     * leftovers of dead runs. On failure, whatever was made is removed before the error is thrown.
     */
    public static NetworkHosts create(int n) {
        if (n < 1 || n > MAX_HOSTS) {
            throw new IllegalArgumentException("invalid host count: " + n + ": must be between 1 and " + MAX_HOSTS);
        }
        removeLeftovers();
        NetworkHosts lan = newInstance();
        Runtime.getRuntime().addShutdownHook(lan.shutdownHook);
        try {
            lan.build(n);
        } catch (RuntimeException | Error e) {
            try {
                lan.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        log.info("created LAN {} with {} hosts on {}.0/24", lan.prefix, n, lan.subnet);
        return lan;
    }

    /** Picks a prefix and a /24 that no namespace or address of this machine uses, and records the owner. */
    private static NetworkHosts newInstance() {
        List<String> existing = namespaceNames();
        String rootAddresses = run(List.of("ip", "-4", "-o", "addr", "show"), IP_TIMEOUT).orThrow().stdout();
        for (int attempt = 0; attempt < 20; attempt++) {
            String id = randomId();
            String prefix = MARKER + id;
            // the /24 follows from the id: 10.200.0.0 to 10.249.255.0, far from 10.0.0.0/24 and 10.255/16
            int h = Math.floorMod(id.hashCode(), 50 * 256);
            String subnet = "10." + (200 + h / 256) + "." + (h % 256);
            boolean prefixTaken = existing.stream().anyMatch(ns -> ns.startsWith(prefix + "-"));
            if (prefixTaken || rootAddresses.contains(" " + subnet + ".") || Files.exists(ownerFile(prefix))) {
                continue;
            }
            writeOwner(prefix);
            return new NetworkHosts(prefix, subnet);
        }
        throw new IllegalStateException("no free prefix or subnet for a LAN after 20 attempts; namespaces: " + existing);
    }

    private void build(int n) {
        addNamespace(hubNamespace);
        ip(hubNamespace, "link", "set", "lo", "up");
        ip(hubNamespace, "link", "add", BRIDGE, "type", "bridge", "stp_state", "0");
        ip(hubNamespace, "link", "set", BRIDGE, "up");
        for (int i = 0; i < n; i++) {
            Host host = new Host(this, i + 1, prefix + "-h" + (i + 1), subnet + "." + (i + 1));
            addNamespace(host.namespace());
            // both ends are made directly in their namespaces: no link ever appears in the machine's own
            run(List.of("ip", "link", "add", "name", HOST_INTERFACE, "netns", host.namespace(), "type", "veth",
                    "peer", "name", host.hubLink(), "netns", hubNamespace), IP_TIMEOUT).orThrow();
            ip(hubNamespace, "link", "set", host.hubLink(), "master", BRIDGE, "up");
            ip(host.namespace(), "link", "set", "lo", "up");
            ip(host.namespace(), "addr", "add", host.address() + "/24", "dev", HOST_INTERFACE);
            ip(host.namespace(), "link", "set", HOST_INTERFACE, "up");
            hosts.add(host);
        }
    }

    private void addNamespace(String name) {
        if (closed.get()) {
            throw new IllegalStateException("LAN " + prefix + " is closed");
        }
        run(List.of("ip", "netns", "add", name), IP_TIMEOUT).orThrow();
        created.add(name);
    }

    /** Runs {@code ip -n <namespace> args...}; fails with the command and its stderr. */
    private static String ip(String namespace, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", namespace));
        cmd.addAll(Arrays.asList(args));
        return run(cmd, IP_TIMEOUT).orThrow().stdout();
    }

    public String prefix() {
        return prefix;
    }

    /** The LAN's /24, e.g. {@code 10.213.7.0/24}. */
    public String subnet() {
        return subnet + ".0/24";
    }

    public String hubNamespace() {
        return hubNamespace;
    }

    public List<Host> hosts() {
        return List.copyOf(hosts);
    }

    /** The host at {@code index}, counting from 0: {@code host(0)} is {@code h1} at {@code 10.a.b.1}. */
    public Host host(int index) {
        return hosts.get(index);
    }

    /** Unplugs a host: its link on the hub goes down, so it reaches no one and no one reaches it. */
    public void disconnect(Host host) {
        setHubLink(host, "down");
        log.info("disconnected {}", host);
    }

    /** Plugs a host back in after {@link #disconnect}. */
    public void reconnect(Host host) {
        setHubLink(host, "up");
        log.info("reconnected {}", host);
    }

    private void setHubLink(Host host, String state) {
        if (host.lan != this) {
            throw new IllegalArgumentException(host + " is not a host of LAN " + prefix);
        }
        if (closed.get()) {
            throw new IllegalStateException("LAN " + prefix + " is closed");
        }
        ip(hubNamespace, "link", "set", host.hubLink(), state);
    }

    /**
     * Ends the processes started through {@link Host#start}, then deletes every namespace this LAN
     * made (their links go with them) and its owner record. Idempotent. Fails, after trying all,
     * if a namespace could not be deleted.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to; cleaning up twice is harmless
        }
        List<String> failures = cleanUp();
        if (!failures.isEmpty()) {
            throw new IllegalStateException("LAN " + prefix + " not fully removed: " + String.join("; ", failures));
        }
        log.info("removed LAN {}", prefix);
    }

    private void cleanUpQuietly() {
        closed.set(true);
        List<String> failures = cleanUp();
        if (!failures.isEmpty()) {
            log.warn("LAN {} not fully removed: {}", prefix, String.join("; ", failures));
        }
    }

    /** Returns what failed; never throws. Synchronized: close() and the shutdown hook may race. */
    private synchronized List<String> cleanUp() {
        List<String> failures = new ArrayList<>();
        for (Process p : started) {
            endProcess(p);
        }
        // hosts first, hub last: each host's veth pair goes with the host's namespace
        List<String> names = new ArrayList<>(created);
        if (names.remove(hubNamespace)) {
            names.add(hubNamespace);
        }
        for (String ns : names) {
            try {
                ExecResult pids = run(List.of("ip", "netns", "pids", ns), IP_TIMEOUT);
                if (pids.ok() && !pids.stdout().isBlank()) {
                    // not ours to end; the namespace lives on, unnamed, until they exit
                    log.warn("processes still in namespace {} when it is deleted: {}", ns, pids.stdout().strip().replace('\n', ' '));
                }
                ExecResult del = run(List.of("ip", "netns", "delete", ns), IP_TIMEOUT);
                if (del.ok() || !namespaceNames().contains(ns)) {
                    created.remove(ns);
                } else {
                    failures.add(del.describe());
                }
            } catch (RuntimeException e) {
                failures.add("cannot delete namespace " + ns + ": " + e.getMessage());
            }
        }
        if (failures.isEmpty()) {
            try {
                Files.deleteIfExists(ownerFile(prefix));
            } catch (IOException e) {
                failures.add("cannot delete " + ownerFile(prefix) + ": " + e.getMessage());
            }
        }
        return failures;
    }

    /** Ends a process we started, and the processes it started, by their handles. */
    private static void endProcess(Process p) {
        if (!p.isAlive()) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "NetworkHosts[" + prefix + ", " + subnet() + ", " + hosts.size() + " hosts]";
    }

    // ---- leftovers -------------------------------------------------------------------------

    /**
     * Deletes the namespaces of LANs whose creating JVM is gone (it was killed before it could
     * clean up), and their owner records. Touches only namespaces named {@value #MARKER}…, and
     * never those of a live JVM. Safe to run concurrently with other runs. Returns what it deleted.
     */
    public static List<String> removeLeftovers() {
        Map<String, List<String>> byPrefix = new LinkedHashMap<>();
        for (String ns : namespaceNames()) {
            prefixOf(ns).ifPresent(p -> byPrefix.computeIfAbsent(p, k -> new ArrayList<>()).add(ns));
        }
        List<String> removed = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : byPrefix.entrySet()) {
            if (ownerAlive(e.getKey())) {
                continue;
            }
            for (String ns : e.getValue()) {
                // another run may be removing the same leftovers: a failure here is not ours to report
                if (run(List.of("ip", "netns", "delete", ns), IP_TIMEOUT).ok()) {
                    removed.add(ns);
                }
            }
        }
        // owner records of dead JVMs, with or without namespaces left
        try (var files = Files.list(OWNERS)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(MARKER) && name.endsWith(".pid")
                        && !ownerAlive(name.substring(0, name.length() - ".pid".length()))) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (NoSuchFileException absent) {
            // nothing recorded yet
        } catch (IOException ex) {
            log.warn("cannot clean {}: {}", OWNERS, ex.toString());
        }
        if (!removed.isEmpty()) {
            log.warn("removed namespaces left by dead test runs: {}", removed);
        }
        return removed;
    }

    /** The LAN prefix of a namespace this harness made ({@code shoalnet-k3x9a-h2} → {@code shoalnet-k3x9a}). */
    static Optional<String> prefixOf(String namespace) {
        if (!namespace.startsWith(MARKER)) {
            return Optional.empty();
        }
        int end = MARKER.length() + ID_LENGTH;
        if (namespace.length() <= end || namespace.charAt(end) != '-') {
            return Optional.empty();
        }
        String id = namespace.substring(MARKER.length(), end);
        return id.chars().allMatch(c -> ID_CHARS.indexOf(c) >= 0) ? Optional.of(namespace.substring(0, end)) : Optional.empty();
    }

    private static Path ownerFile(String prefix) {
        return OWNERS.resolve(prefix + ".pid");
    }

    /** Written before the LAN's first namespace: a namespace without a live owner is always a leftover. */
    private static void writeOwner(String prefix) {
        ProcessHandle self = ProcessHandle.current();
        long start = self.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
        try {
            Files.createDirectories(OWNERS);
            Files.writeString(ownerFile(prefix), self.pid() + " " + start + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the owner of LAN " + prefix + " in " + OWNERS, e);
        }
    }

    /** Whether the JVM that made a LAN still runs: same PID and same start time (PIDs are reused). */
    private static boolean ownerAlive(String prefix) {
        String record;
        try {
            record = Files.readString(ownerFile(prefix)).strip();
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return true; // cannot tell: leave it alone
        }
        String[] parts = record.split("\\s+");
        try {
            long pid = Long.parseLong(parts[0]);
            long start = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .map(h -> start == 0 || h.info().startInstant().map(i -> i.toEpochMilli() == start).orElse(true))
                    .orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Names of all named network namespaces ({@code ip netns list}). */
    static List<String> namespaceNames() {
        String out = run(List.of("ip", "netns", "list"), IP_TIMEOUT).orThrow().stdout();
        // lines are "name" or "name (id: 3)"
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).map(l -> l.split("\\s+")[0]).toList();
    }

    private static String randomId() {
        StringBuilder b = new StringBuilder(ID_LENGTH);
        for (int i = 0; i < ID_LENGTH; i++) {
            b.append(ID_CHARS.charAt(RANDOM.nextInt(ID_CHARS.length())));
        }
        return b.toString();
    }

    // ---- commands --------------------------------------------------------------------------

    /** The outcome of a command: its exit code and output. */
    public record ExecResult(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** This result if the command succeeded; otherwise fails with the command, its exit code and its stderr. */
        public ExecResult orThrow() {
            if (!ok()) {
                throw new IllegalStateException(describe());
            }
            return this;
        }

        public List<String> lines() {
            return stdout.lines().toList();
        }

        String describe() {
            String err = stderr.strip();
            return "`" + String.join(" ", command) + "` failed with exit code " + exitCode
                    + (err.isEmpty() ? "" : ": " + err);
        }
    }

    /**
     * Runs a command to its end, at most {@code timeout}; a command that takes longer is killed
     * (with what it started) and reported. Never throws for a non-zero exit: see {@link ExecResult#orThrow()}.
     */
    public static ExecResult run(List<String> cmd, Duration timeout) {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run `" + String.join(" ", cmd) + "`: " + e.getMessage(), e);
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                endProcess(p);
                throw new IllegalStateException("`" + String.join(" ", cmd) + "` did not finish within " + timeout.toMillis()
                        + " ms; killed; stderr so far: " + err.getNow("").strip());
            }
            // a child that outlives the command may hold the pipes open: do not wait for it forever
            return new ExecResult(List.copyOf(cmd), p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            endProcess(p);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running `" + String.join(" ", cmd) + "`", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the output of `" + String.join(" ", cmd) + "`: " + e, e);
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (in) {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    // ---- hosts -----------------------------------------------------------------------------

    /**
     * One host of the LAN: a network namespace with {@code eth0} at {@link #address()}. Commands run
     * in it through {@code ip netns exec}, which switches namespace and then execs the command, so
     * the PID of a started process is the command's own.
     */
    public static final class Host {
        private final NetworkHosts lan;
        private final int number;
        private final String namespace;
        private final String address;

        private Host(NetworkHosts lan, int number, String namespace, String address) {
            this.lan = lan;
            this.number = number;
            this.namespace = namespace;
            this.address = address;
        }

        /** {@code h1}, {@code h2}…: the last byte of the address is the number. */
        public String name() {
            return "h" + number;
        }

        public String namespace() {
            return namespace;
        }

        /** The IPv4 address of {@code eth0}, without prefix length. */
        public String address() {
            return address;
        }

        /** The host's end of its cable, as named in the hub (≤ 15 characters). */
        String hubLink() {
            return "veth-" + name();
        }

        /** {@code ip netns exec <namespace> cmd...}, for a ProcessBuilder. */
        public List<String> command(List<String> cmd) {
            List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
            full.addAll(cmd);
            return full;
        }

        public List<String> command(String... cmd) {
            return command(Arrays.asList(cmd));
        }

        /** Runs a command in this host; returns its stdout lines; fails on a non-zero exit or after 30 s. */
        public List<String> exec(String... cmd) {
            return run(EXEC_TIMEOUT, cmd).orThrow().lines();
        }

        /** Runs a command in this host, whatever its exit code. */
        public ExecResult run(Duration timeout, String... cmd) {
            return NetworkHosts.run(command(cmd), timeout);
        }

        /**
         * Starts a long-running command in this host (a server, a daemon). The LAN ends it, and what
         * it started, at {@link NetworkHosts#close()} if it is still alive.
         */
        public Process start(String... cmd) {
            try {
                Process p = new ProcessBuilder(command(cmd)).start();
                lan.started.add(p);
                return p;
            } catch (IOException e) {
                throw new IllegalStateException("cannot start `" + String.join(" ", command(cmd)) + "`: " + e.getMessage(), e);
            }
        }

        /** Whether one ICMP echo to {@code address} is answered within a second. */
        public boolean ping(String target) {
            return run(Duration.ofSeconds(5), pingCommand(target)).ok();
        }

        public boolean ping(Host other) {
            return ping(other.address());
        }

        @Override
        public String toString() {
            return name() + "(" + address + " in " + namespace + ")";
        }
    }

    private static volatile String[] pingPrefix;

    /** {@code ping -c1 -W1 target}, with busybox's ping when the machine has no ping of its own. */
    private static String[] pingCommand(String target) {
        String[] p = pingPrefix;
        if (p == null) {
            boolean hasPing = Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
                    .anyMatch(dir -> Files.isExecutable(Path.of(dir, "ping")));
            p = hasPing ? new String[] {"ping"} : new String[] {"busybox", "ping"};
            pingPrefix = p;
        }
        List<String> cmd = new ArrayList<>(Arrays.asList(p));
        cmd.addAll(List.of("-c1", "-W1", target));
        return cmd.toArray(String[]::new);
    }
}
