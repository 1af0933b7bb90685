/**
 * JMH benchmarks: API request/response latency ({@link dev.shoal.perf.jmh.ApiLatencyBenchmark})
 * and Raft write throughput ({@link dev.shoal.perf.jmh.RaftWriteBenchmark}, with Docker Swarm's
 * service-update loop as the reference in {@link dev.shoal.perf.jmh.ServiceUpdateBenchmark}).
 * They read what to talk to from system properties that {@link dev.shoal.perf.SwarmComparison}
 * sets; {@link dev.shoal.perf.jmh.UnixHttpClient} is the minimal HTTP client used for the Docker
 * Engine API.
 */
package dev.shoal.perf.jmh;
