package dev.mailops.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import dev.mailops.bench.load.Workload.Operation;

/**
 * The two ways the harness loads the system. Open model: requests start on a fixed schedule whatever
 * the answers do, and each latency counts from the scheduled start (so a stall shows in full, no
 * coordinated omission). Closed model: N clients, each sending its next request when the last answered,
 * which finds the most the system sustains at that concurrency.
 */
public final class Drivers {

    /** Operations with weights, e.g. 10 % create mailbox. */
    public static final class Mix {
        private final Map<Operation, Integer> weights = new EnumMap<>(Operation.class);
        private int total;

        public Mix with(Operation operation, int weight) {
            weights.put(operation, weight);
            total += weight;
            return this;
        }

        Operation pick() {
            int ticket = ThreadLocalRandom.current().nextInt(total);
            for (Map.Entry<Operation, Integer> entry : weights.entrySet()) {
                ticket -= entry.getValue();
                if (ticket < 0) {
                    return entry.getKey();
                }
            }
            throw new IllegalStateException();
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder();
            weights.forEach((operation, weight) -> text.append(text.isEmpty() ? "" : ", ")
                    .append(Math.round(100.0 * weight / total)).append(" % ").append(operation.label()));
            return text.toString();
        }
    }

    private Drivers() {
    }

    /** Sends at a fixed rate for the duration, then waits for the answers; returns the seconds it sent for. */
    public static double openModel(Workload workload, Mix mix, double perSecond, Duration duration) {
        long interval = (long) (1e9 / perSecond);
        return openModel(workload, mix, perSecond, (long) (duration.toNanos() / (double) interval), () -> false);
    }

    /** Sends at a fixed rate until {@code count} were sent or {@code stop} says so, then waits for the answers. */
    public static double openModel(Workload workload, Mix mix, double perSecond, long count, BooleanSupplier stop) {
        long interval = (long) (1e9 / perSecond);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        for (long i = 0; i < count && !stop.getAsBoolean(); i++) {
            long intended = start + i * interval;
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            inFlight.add(workload.send(mix.pick(), workload.randomTenant(), intended));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).orTimeout(2, TimeUnit.MINUTES).join();
        return seconds;
    }

    /**
     * {@code clients} clients, client i on tenant i (modulo the tenants), each sending its share of
     * {@code total} back to back; returns the seconds it took.
     */
    public static double closedModel(Workload workload, Operation operation, int clients, int total) {
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            Workload.Tenant tenant = workload.tenant(c % workload.tenantCount());
            int share = total / clients + (c < total % clients ? 1 : 0);
            threads.add(new Thread(() -> {
                for (int i = 0; i < share; i++) {
                    workload.send(operation, tenant, null).join();
                }
            }, "bench-client-" + c));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
