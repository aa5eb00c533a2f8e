package dev.mailops.testinfra;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs steps at a fixed arrival rate (an open model: one step per interval, whatever the system
 * does meanwhile), so a test can act on the system while the stream is still flowing.
 */
public final class PacedStream {

    private PacedStream() {
    }

    /** Starts the steps, one per interval, in order; the future completes after the last one. */
    public static CompletableFuture<Void> start(List<Runnable> steps, Duration interval) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger next = new AtomicInteger();
        clock.scheduleAtFixedRate(() -> {
            int index = next.getAndIncrement();
            try {
                if (index < steps.size()) {
                    steps.get(index).run();
                }
                if (index >= steps.size() - 1) {
                    done.complete(null);
                    clock.shutdown();
                }
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
                clock.shutdown();
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return done;
    }
}
