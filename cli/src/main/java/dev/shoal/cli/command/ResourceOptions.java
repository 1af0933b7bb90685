package dev.shoal.cli.command;

import dev.shoal.api.model.ResourceRequirements;
import dev.shoal.api.model.ResourceRequirements.Resources;
import picocli.CommandLine.Option;

/**
 * The {@code --reserve-*} and {@code --limit-*} flags of {@code service create} and
 * {@code service update}: CPUs as a decimal number ({@code 0.5} is 500 000 000 NanoCPUs), memory
 * with Docker's units ({@code 512m}, {@code 1g}). On update, a flag replaces that one value and
 * keeps the others.
 */
final class ResourceOptions {
    @Option(names = "--reserve-cpu", paramLabel = "DECIMAL", converter = Converters.NanoCpusConverter.class,
            description = "Reserve CPUs")
    Long reserveCpu;

    @Option(names = "--reserve-memory", paramLabel = "BYTES", converter = Converters.MemoryBytesConverter.class,
            description = "Reserve Memory (b, k, m, g)")
    Long reserveMemory;

    @Option(names = "--limit-cpu", paramLabel = "DECIMAL", converter = Converters.NanoCpusConverter.class,
            description = "Limit CPUs")
    Long limitCpu;

    @Option(names = "--limit-memory", paramLabel = "BYTES", converter = Converters.MemoryBytesConverter.class,
            description = "Limit Memory (b, k, m, g)")
    Long limitMemory;

    @Option(names = "--limit-pids", paramLabel = "N", converter = Converters.NonNegativeLongConverter.class,
            description = "Limit maximum number of processes (default 0 = unlimited)")
    Long limitPids;

    boolean isSet() {
        return reserveCpu != null || reserveMemory != null || limitCpu != null || limitMemory != null || limitPids != null;
    }

    /** {@code base} with the flags given applied; {@code base} itself when none is. */
    ResourceRequirements applyTo(ResourceRequirements base) {
        if (!isSet()) {
            return base;
        }
        Resources limits = base == null ? null : base.limits();
        Resources reservations = base == null ? null : base.reservations();
        if (limitCpu != null || limitMemory != null || limitPids != null) {
            Resources l = limits == null ? new Resources(null, null, null) : limits;
            limits = new Resources(limitCpu != null ? limitCpu : l.nanoCpus(),
                    limitMemory != null ? limitMemory : l.memoryBytes(),
                    limitPids != null ? limitPids : l.pids());
        }
        if (reserveCpu != null || reserveMemory != null) {
            Resources r = reservations == null ? new Resources(null, null, null) : reservations;
            reservations = new Resources(reserveCpu != null ? reserveCpu : r.nanoCpus(),
                    reserveMemory != null ? reserveMemory : r.memoryBytes(), r.pids());
        }
        return new ResourceRequirements(limits, reservations);
    }
}
