package dev.mailops.bench.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;

/**
 * Latency histograms and status counts per operation, safe to record into from many threads. Any answer
 * other than 2xx, and no answer at all, counts as an error.
 */
public final class Recorder {

    public record Summary(String operation, long count, long errors, double perSecond, double p50, double p95,
            double p99, double max, Map<Integer, Long> statuses) {
    }

    private final Map<String, Histogram> latencies = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, LongAdder>> statuses = new ConcurrentHashMap<>();

    public void record(String operation, long nanos, int status) {
        Histogram histogram = latencies.computeIfAbsent(operation, key -> new Histogram(TimeUnit.MINUTES.toNanos(2), 3));
        synchronized (histogram) {
            histogram.recordValue(Math.min(Math.max(nanos, 1), histogram.getHighestTrackableValue()));
        }
        statuses.computeIfAbsent(operation, key -> new ConcurrentHashMap<>())
                .computeIfAbsent(status, key -> new LongAdder()).increment();
    }

    public long errors() {
        return summaries(1).stream().mapToLong(Summary::errors).sum();
    }

    /** One line per operation; rates over the given wall-clock seconds. */
    public java.util.List<Summary> summaries(double seconds) {
        return new TreeMap<>(latencies).entrySet().stream().map(entry -> {
            Histogram histogram;
            synchronized (entry.getValue()) {
                histogram = entry.getValue().copy();
            }
            Map<Integer, Long> counts = new TreeMap<>();
            statuses.getOrDefault(entry.getKey(), Map.of()).forEach((status, n) -> counts.put(status, n.sum()));
            long errors = counts.entrySet().stream().filter(e -> e.getKey() < 200 || e.getKey() >= 300)
                    .mapToLong(Map.Entry::getValue).sum();
            return new Summary(entry.getKey(), histogram.getTotalCount(), errors,
                    histogram.getTotalCount() / seconds, millis(histogram.getValueAtPercentile(50)),
                    millis(histogram.getValueAtPercentile(95)), millis(histogram.getValueAtPercentile(99)),
                    millis(histogram.getMaxValue()), counts);
        }).toList();
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
