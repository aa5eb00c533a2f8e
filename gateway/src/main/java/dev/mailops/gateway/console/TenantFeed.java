package dev.mailops.gateway.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.subscription.BackPressureFailure;

/**
 * The live feed's fan-out: which tenants someone is watching, and each record of mailbox.events decoded
 * only when its tenant (the record's key) is watched. With nobody watching at all, the source is told to
 * stop fetching, and told again to start, from the moment the first watcher came, when one comes.
 */
final class TenantFeed {

    /** What the feed asks of the source of records (the gateway's Kafka consumer). */
    interface Source {
        /** Stop fetching: nobody watches. */
        void pause();

        /** Fetch again, from the records written since the given instant. */
        void resumeFrom(Instant since);
    }

    private static final Logger LOG = Logger.getLogger(TenantFeed.class);
    /** Events a watcher's stream may fall behind by before it is ended (the console then opens a new one). */
    static final int BEHIND_AT_MOST = 256;

    private final BroadcastProcessor<Map<String, Object>> events = BroadcastProcessor.create();
    private final Function<ConsumerRecord<String, byte[]>, Map<String, Object>> decoder;
    private final Source source;
    private final Clock clock;
    private final LongAdder decoded = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    // guarded by this
    private final Map<String, Integer> watchers = new HashMap<>();
    private boolean paused;

    TenantFeed(Function<ConsumerRecord<String, byte[]>, Map<String, Object>> decoder, Source source, Clock clock) {
        this.decoder = decoder;
        this.source = source;
        this.clock = clock;
    }

    /**
     * The tenant's events from now on, for as long as {@code left}. The stream's writer asks for one event at a
     * time, and the processor fails a watcher that has not asked for the next: each watcher has a queue of its
     * own. One that falls further behind has its stream ended, not failed, and the console opens a new one.
     */
    Multi<Map<String, Object>> watch(String tenant, Duration left) {
        return events.filter(event -> tenant.equals(event.get("tenant")))
                .onOverflow().buffer(BEHIND_AT_MOST)
                .onFailure(BackPressureFailure.class).invoke(() -> LOG.infof(
                        "A watcher of tenant %s fell %d events behind; its stream ends", tenant, BEHIND_AT_MOST))
                .onFailure(BackPressureFailure.class).recoverWithCompletion()
                .onSubscription().invoke(() -> watching(tenant))
                .onTermination().invoke(() -> leaving(tenant))
                .select().first(left);
    }

    /** A record of mailbox.events: decoded and passed on only when someone watches its tenant. */
    void offer(ConsumerRecord<String, byte[]> record) {
        if (!watched(record.key())) {
            skipped.increment();
            return;
        }
        decoded.increment();
        events.onNext(decoder.apply(record));
    }

    /** Records decoded since the start (each one of a watched tenant). */
    long decoded() {
        return decoded.sum();
    }

    /** Records passed over undecoded since the start (their tenant unwatched). */
    long skipped() {
        return skipped.sum();
    }

    private synchronized boolean watched(String tenant) {
        if (watchers.isEmpty() && !paused) {
            paused = true;
            source.pause();
        }
        return tenant != null && watchers.containsKey(tenant);
    }

    private synchronized void watching(String tenant) {
        watchers.merge(tenant, 1, Integer::sum);
        if (paused) {
            paused = false;
            source.resumeFrom(clock.instant());
        }
    }

    private synchronized void leaving(String tenant) {
        watchers.computeIfPresent(tenant, (key, count) -> count == 1 ? null : count - 1);
    }
}
