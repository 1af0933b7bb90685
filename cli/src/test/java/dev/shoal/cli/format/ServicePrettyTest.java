package dev.shoal.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.id.ServiceId;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.EndpointSpec;
import dev.shoal.api.model.HealthConfig;
import dev.shoal.api.model.Placement;
import dev.shoal.api.model.ResourceRequirements;
import dev.shoal.api.model.ResourceRequirements.Resources;
import dev.shoal.api.model.RestartPolicy;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.UpdateConfig;
import dev.shoal.api.model.UpdateStatus;
import dev.shoal.api.model.Version;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServicePrettyTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final long SECOND = 1_000_000_000L;

    @Test
    void everyOrchestrationSectionIsShown() {
        TaskSpec task = new TaskSpec(ContainerSpec.of("nginx:2", "serve").withHealthcheck(
                new HealthConfig(List.of("CMD-SHELL", "curl -f localhost"), 10 * SECOND, null, null, null)),
                new RestartPolicy(RestartPolicy.Condition.ON_FAILURE, 5 * SECOND, 3L, null), null,
                new ResourceRequirements(new Resources(1_500_000_000L, 1L << 30, 100L), new Resources(250_000_000L, 512L << 20, null)),
                new Placement(List.of("node.role!=manager"), List.of(Placement.Preference.spread("node.labels.zone"), Placement.Preference.avoid("db")), 2L, null));
        ServiceSpec spec = new ServiceSpec("web", null, task, ServiceMode.replicated(3),
                new UpdateConfig(2L, 10 * SECOND, UpdateConfig.FailureAction.ROLLBACK, null, 0.25, UpdateConfig.Order.START_FIRST), null,
                new EndpointSpec(EndpointSpec.ResolutionMode.VIP, List.of(new EndpointSpec.PortConfig(null, null, 80L, 8080L, null))), null);
        Service s = new Service(ServiceId.of("svc1"), new Version(3), T0, T0, spec, null,
                new UpdateStatus(UpdateStatus.State.PAUSED, T0, null, "update paused due to failure of task t1"), null, null);
        List<String> lines = ServicePretty.render(s, T0.plusSeconds(120));
        String text = String.join("\n", lines);
        for (String expected : List.of(
                "Service Mode:       Replicated", " Replicas:          3",
                "UpdateStatus:", " State:             paused", " Started:           2 minutes ago",
                " Message:           update paused due to failure of task t1",
                " Constraints:       [node.role!=manager]", " Preferences:       [spread=node.labels.zone avoid=db]",
                " Max Replicas Per Node: 2",
                "UpdateConfig:", " Parallelism:       2", " Delay:             10s", " On failure:        rollback",
                " Monitoring Period: 5s", " Max failure ratio: 0.25", " Update order:      start-first",
                "RollbackConfig:", " On failure:        pause", " Rollback order:    stop-first",
                " Test:              [CMD-SHELL curl -f localhost]", " Interval:          10s", " Retries:           3",
                " Condition:         on-failure", " MaxAttempts:       3",
                " Reservations:", "  CPU:              0.25", "  Memory:           512MiB",
                " Limits:", "  CPU:              1.5", "  Memory:           1GiB", "  PIDs:             100",
                "Endpoint Mode:      vip", " PublishedPort = 8080", "  TargetPort = 80")) {
            assertTrue(lines.contains(expected), "missing <" + expected + "> in\n" + text);
        }
    }

    @Test
    void jobsAndGlobalServicesNameTheirMode() {
        TaskSpec task = new TaskSpec(ContainerSpec.of("busybox"), null, null);
        Service job = new Service(ServiceId.of("j"), new Version(1), T0, T0, new ServiceSpec("j", null, task, ServiceMode.ofReplicatedJob(2L, 6L)), null);
        List<String> lines = ServicePretty.render(job, T0);
        assertTrue(lines.contains("Service Mode:       Replicated Job"), String.join("\n", lines));
        assertTrue(lines.contains(" Max Concurrent:    2"));
        assertTrue(lines.contains(" Total Completions: 6"));
        Service global = new Service(ServiceId.of("g"), new Version(1), T0, T0, new ServiceSpec("g", null, task, ServiceMode.ofGlobal()), null);
        assertTrue(ServicePretty.render(global, T0).contains("Service Mode:       Global"));
    }

    @Test
    void noHealthcheckReadsAsDisabled() {
        TaskSpec task = new TaskSpec(ContainerSpec.of("busybox").withHealthcheck(HealthConfig.none()), null, null);
        Service s = new Service(ServiceId.of("s"), new Version(1), T0, T0, new ServiceSpec("s", null, task, null), null);
        assertTrue(ServicePretty.render(s, T0).contains(" Test:              NONE (disabled)"));
    }

    @Test
    void sizesAndCpusAsDocker() {
        assertEquals("512MiB", ServicePretty.bytes(512L << 20));
        assertEquals("1.5GiB", ServicePretty.bytes(1536L << 20));
        assertEquals("100B", ServicePretty.bytes(100));
        assertEquals("0.5", ServicePretty.cpus(500_000_000L));
        assertEquals("2", ServicePretty.cpus(2_000_000_000L));
    }
}
