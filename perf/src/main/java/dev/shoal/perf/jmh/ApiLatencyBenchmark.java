package dev.shoal.perf.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.model.Service;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
 * Request/response latency of "inspect one service", one request at a time, through each
 * orchestrator's own API on its unix socket, answer decoded:
 *
 * <ul>
 *   <li>{@link #shoalServiceInspect}: Shoal's {@code service.inspect} through {@link ShoalClient}
 *       (RSocket request-response, JSON decoded into {@link Service}).</li>
 *   <li>{@link #dockerServiceInspect}: Docker Engine API {@code GET /v1.41/services/{id}} on
 *       /var/run/docker.sock (HTTP/1.1 keep-alive through {@link UnixHttpClient}, JSON decoded
 *       into a tree), for a Docker Swarm service.</li>
 * </ul>
 * System properties: {@code perf.shoal.host}, {@code perf.shoal.service}, {@code perf.docker.socket},
 * {@code perf.docker.service}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class ApiLatencyBenchmark {

    /** A connection to the Shoal daemon. */
    @State(Scope.Benchmark)
    public static class ShoalApi {
        ShoalClient client;
        String service;

        @Setup(Level.Trial)
        public void connect() {
            client = ShoalClient.connectNow(required("perf.shoal.host"), Duration.ofSeconds(10));
            service = required("perf.shoal.service");
            client.serviceInspect(service).block(Duration.ofSeconds(10));
        }

        @TearDown(Level.Trial)
        public void close() {
            client.close();
        }
    }

    /** A keep-alive connection to the Docker Engine. */
    @State(Scope.Benchmark)
    public static class DockerApi {
        final ObjectMapper mapper = new ObjectMapper();
        UnixHttpClient http;
        String path;

        @Setup(Level.Trial)
        public void connect() throws IOException {
            http = new UnixHttpClient(System.getProperty("perf.docker.socket", "/var/run/docker.sock"));
            path = "/v1.41/services/" + required("perf.docker.service");
            var r = http.get(path);
            if (r.status() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + r.status() + ": " + r.bodyText());
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            http.close();
        }
    }

    @Benchmark
    public Service shoalServiceInspect(ShoalApi api) {
        return api.client.serviceInspect(api.service).block();
    }

    @Benchmark
    public JsonNode dockerServiceInspect(DockerApi api) throws IOException {
        UnixHttpClient.Response r = api.http.get(api.path);
        if (r.status() != 200) {
            throw new IllegalStateException("GET " + api.path + " answered " + r.status());
        }
        return api.mapper.readTree(r.body());
    }

    static String required(String property) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set (run through SwarmComparison)");
        }
        return v;
    }
}
