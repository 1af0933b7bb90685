package dev.shoal.perf;

import java.util.Arrays;
import java.util.List;

/** Small statistics over measured samples. */
public final class Stats {
    private Stats() {}

    /** The median (mean of the middle two for an even count); NaN when empty. */
    public static double median(List<Double> samples) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        double[] s = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** The nearest-rank percentile {@code p} (0..100) of {@code samples}; NaN when empty. */
    public static double percentile(double[] samples, double p) {
        if (samples.length == 0) {
            return Double.NaN;
        }
        double[] s = samples.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    /** Seconds with two decimals. */
    public static String seconds(double s) {
        return Double.isNaN(s) ? "n/a" : String.format(java.util.Locale.ROOT, "%.2f s", s);
    }
}
