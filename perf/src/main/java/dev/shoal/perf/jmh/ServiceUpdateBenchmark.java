package dev.shoal.perf.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Raft writes as a client sees them through an orchestrator's API: each operation is what
 * {@code docker service update --label-add perf.seq=N SERVICE} does, an inspect (for the version)
 * followed by an update of the service's labels, which swarmkit commits as one Raft entry. Every
 * thread owns one service with 0 replicas, so that updates never conflict and no task is touched.
 *
 * <ul>
 *   <li>{@link #dockerServiceUpdate}: Docker Engine API {@code GET /v1.41/services/{id}} then
 *       {@code POST /v1.41/services/{id}/update?version=V} on /var/run/docker.sock.</li>
 *   <li>{@link #shoalServiceUpdate}: Shoal's {@code service.inspect} then {@code service.update}.</li>
 * </ul>
 * System properties: {@code perf.docker.socket}, {@code perf.docker.services} and
 * {@code perf.shoal.host}, {@code perf.shoal.services} (comma-separated ids, one per thread).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(64)
public class ServiceUpdateBenchmark {

    /** Hands each thread its own service. */
    @State(Scope.Benchmark)
    public static class Services {
        final AtomicInteger next = new AtomicInteger();
        List<String> docker;
        List<String> shoal;
        ShoalClient shoalClient;

        @Setup(Level.Trial)
        public void read() {
            docker = ids("perf.docker.services");
            shoal = ids("perf.shoal.services");
            String host = System.getProperty("perf.shoal.host");
            if (host != null && !shoal.isEmpty()) {
                shoalClient = ShoalClient.connectNow(host, Duration.ofSeconds(10));
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            if (shoalClient != null) {
                shoalClient.close();
            }
        }

        private static List<String> ids(String property) {
            String v = System.getProperty(property, "");
            return v.isBlank() ? List.of() : List.of(v.split(","));
        }
    }

    /** One thread's service and connection. */
    @State(Scope.Thread)
    public static class Mine {
        final ObjectMapper mapper = new ObjectMapper();
        int index;
        long seq;
        UnixHttpClient http;

        @Setup(Level.Trial)
        public void take(Services all) {
            index = all.next.getAndIncrement();
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            if (http != null) {
                http.close();
            }
        }
    }

    @Benchmark
    public int dockerServiceUpdate(Services all, Mine me) throws IOException {
        if (me.http == null) {
            me.http = new UnixHttpClient(System.getProperty("perf.docker.socket", "/var/run/docker.sock"));
        }
        String id = all.docker.get(me.index % all.docker.size());
        UnixHttpClient.Response r = me.http.get("/v1.41/services/" + id);
        if (r.status() != 200) {
            throw new IllegalStateException("inspect " + id + " answered " + r.status() + ": " + r.bodyText());
        }
        JsonNode service = me.mapper.readTree(r.body());
        long version = service.path("Version").path("Index").asLong();
        ObjectNode spec = (ObjectNode) service.get("Spec");
        ObjectNode labels = spec.has("Labels") && spec.get("Labels").isObject()
                ? (ObjectNode) spec.get("Labels") : spec.putObject("Labels");
        labels.put("perf.seq", Long.toString(++me.seq));
        r = me.http.post("/v1.41/services/" + id + "/update?version=" + version, me.mapper.writeValueAsBytes(spec));
        if (r.status() != 200) {
            throw new IllegalStateException("update " + id + " answered " + r.status() + ": " + r.bodyText());
        }
        return r.body().length;
    }

    @Benchmark
    public Service shoalServiceUpdate(Services all, Mine me) {
        String id = all.shoal.get(me.index % all.shoal.size());
        Service s = all.shoalClient.serviceInspect(id).block();
        Map<String, String> labels = new HashMap<>(s.spec().labels() == null ? Map.of() : s.spec().labels());
        labels.put("perf.seq", Long.toString(++me.seq));
        ServiceSpec spec = new ServiceSpec(s.spec().name(), labels, s.spec().taskTemplate(), s.spec().mode());
        return all.shoalClient.serviceUpdate(id, s.version(), spec).block();
    }
}
