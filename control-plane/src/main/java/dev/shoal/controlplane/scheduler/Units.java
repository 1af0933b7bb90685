package dev.shoal.controlplane.scheduler;

import java.math.BigDecimal;

/** Amounts for people: {@code 512 MiB}, {@code 1.5 GiB}, {@code 0.5 CPUs}. */
final class Units {
    private Units() {}

    static String bytes(long b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return trim(v) + " " + units[u];
    }

    static String cpus(long nanoCpus) {
        double c = nanoCpus / 1e9;
        return trim(c) + (c == 1 ? " CPU" : " CPUs");
    }

    private static String trim(double v) {
        return BigDecimal.valueOf(Math.round(v * 100) / 100.0).stripTrailingZeros().toPlainString();
    }
}
