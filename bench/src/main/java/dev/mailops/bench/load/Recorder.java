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

    /**
     * One operation: {@code count} requests sent, {@code errors} of them not answered 2xx, and
     * {@code notSent} that the load meant to send but had no target for (never replaced by another).
     */
    public record Summary(String operation, long count, long errors, double perSecond, double p50, double p95,
            double p99, double max, Map<Integer, Long> statuses, long notSent) {
        public long accepted() {
            return count - errors;
        }
    }

    private final Map<String, Histogram> latencies = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, LongAdder>> statuses = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> notSent = new ConcurrentHashMap<>();
    private final Histogram accepted = histogram();
    private final Histogram refused = histogram();
    private final LongAdder overloadedWithRetryAfter = new LongAdder();

    /** retryAfter: the answer said when to try again. */
    public void record(String operation, long nanos, int status, boolean retryAfter) {
        Histogram histogram = latencies.computeIfAbsent(operation, key -> histogram());
        recordInto(histogram, nanos);
        recordInto(status >= 200 && status < 300 ? accepted : refused, nanos);
        if (status == 503 && retryAfter) {
            overloadedWithRetryAfter.increment();
        }
        statuses.computeIfAbsent(operation, key -> new ConcurrentHashMap<>())
                .computeIfAbsent(status, key -> new LongAdder()).increment();
    }

    /** The latencies (ns) of every 2xx answer, all operations together. */
    public Histogram acceptedLatency() {
        return copy(accepted);
    }

    /** The latencies (ns) of every other answer, and of no answer at all. */
    public Histogram refusedLatency() {
        return copy(refused);
    }

    /** How many answers were 503 with a Retry-After: refused as overloaded, with when to come back. */
    public long overloadedWithRetryAfter() {
        return overloadedWithRetryAfter.sum();
    }

    private static Histogram histogram() {
        return new Histogram(TimeUnit.MINUTES.toNanos(2), 3);
    }

    private static void recordInto(Histogram histogram, long nanos) {
        synchronized (histogram) {
            histogram.recordValue(Math.min(Math.max(nanos, 1), histogram.getHighestTrackableValue()));
        }
    }

    private static Histogram copy(Histogram histogram) {
        synchronized (histogram) {
            return histogram.copy();
        }
    }

    public void notSent(String operation) {
        notSent.computeIfAbsent(operation, key -> new LongAdder()).increment();
    }

    public long errors() {
        return summaries(1).stream().mapToLong(Summary::errors).sum();
    }

    /** One line per operation; rates over the given wall-clock seconds. */
    public java.util.List<Summary> summaries(double seconds) {
        Map<String, Histogram> operations = new TreeMap<>(latencies);
        notSent.keySet().forEach(operation -> operations.putIfAbsent(operation, new Histogram(3)));
        return operations.entrySet().stream().map(entry -> {
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
                    millis(histogram.getMaxValue()), counts,
                    notSent.getOrDefault(entry.getKey(), new LongAdder()).sum());
        }).toList();
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
