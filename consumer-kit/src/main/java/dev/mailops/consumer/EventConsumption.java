package dev.mailops.consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;

/**
 * What a consumer does with each poll of records (the channel runs with {@code batch=true}):
 * <ul>
 * <li>records of types the projection ignores are acknowledged by their {@code ce_type} header alone;</li>
 * <li>a record that can never be processed is nacked, which the channel's dead-letter-queue strategy
 * turns into a copy on the dead-letter topic with the reason in its headers; so is a record whose data
 * the projection refuses with a {@link PoisonRecordException} (found when the poll is applied one by one);</li>
 * <li>the other records are applied in one transaction, in poll order (per partition, so per tenant,
 * in offset order), and what they caused is published after the commit;</li>
 * <li>when that transaction fails, the poll is applied again one record per transaction, so a record
 * that keeps failing (database or broker down) holds its partition and is retried with backoff while
 * the records before it are kept: nothing is skipped and the order stays.</li>
 * </ul>
 * The poll is acknowledged (its offsets may be committed) only after all of that. While the service
 * shuts down a poll is neither acknowledged nor nacked, so it is consumed again after the restart.
 */
@ApplicationScoped
public class EventConsumption {

    private static final Logger LOG = Logger.getLogger(EventConsumption.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    CloudEventReader reader;

    @Inject
    TopicReplay replay;

    @Inject
    EntityManager entityManager;

    @Inject
    MeterRegistry meters;

    private volatile boolean running = true;

    void onStop(@Observes ShutdownEvent event) {
        running = false;
    }

    public CompletionStage<Void> process(KafkaRecordBatch<String, String> batch, Set<String> handledTypes,
            Projection projection) {
        String topic = batch.getRecords().isEmpty() ? "" : batch.getRecords().get(0).getTopic();
        List<CloudEvent> events = new ArrayList<>();
        Map<CloudEvent, KafkaRecord<String, String>> records = new IdentityHashMap<>();
        List<CompletableFuture<Void>> deadLettered = new ArrayList<>();
        for (KafkaRecord<String, String> record : batch) {
            if (CloudEventReader.ignorable(record.getHeaders(), handledTypes)) {
                meters.counter("events.skipped", "topic", record.getTopic()).increment();
                continue;
            }
            try {
                CloudEvent event = reader.read(record.getHeaders(), record.getKey(), record.getPayload(), handledTypes);
                events.add(event);
                records.put(event, record);
            } catch (PoisonRecordException e) {
                LOG.errorf("Dead-lettering %s-%d@%d: %s", record.getTopic(), record.getPartition(), offsetOf(record),
                        e.getMessage());
                meters.counter("events.dead-lettered", "topic", record.getTopic()).increment();
                deadLettered.add(record.nack(e).toCompletableFuture());
            }
        }
        if (!events.isEmpty() && !applyTogether(events, projection, topic)
                && !applyOneByOne(events, projection, topic, records, deadLettered)) {
            return new CompletableFuture<>(); // stopping: the poll is consumed again after the restart
        }
        return CompletableFuture.allOf(deadLettered.toArray(CompletableFuture[]::new)).thenCompose(done -> batch.ack());
    }

    private boolean applyTogether(List<CloudEvent> events, Projection projection, String topic) {
        try {
            apply(events, projection, topic);
            return true;
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not apply a poll of %d events in one transaction; applying them one by one",
                    events.size());
            return false;
        }
    }

    private boolean applyOneByOne(List<CloudEvent> events, Projection projection, String topic,
            Map<CloudEvent, KafkaRecord<String, String>> records, List<CompletableFuture<Void>> deadLettered) {
        for (CloudEvent event : events) {
            Duration backoff = FIRST_BACKOFF;
            while (true) {
                if (!running) {
                    return false;
                }
                try {
                    apply(List.of(event), projection, topic);
                    break;
                } catch (RuntimeException e) {
                    PoisonRecordException poison = poisonIn(e);
                    if (poison != null) {
                        KafkaRecord<String, String> record = records.get(event);
                        LOG.errorf("Dead-lettering %s %s (%s-%d@%d): %s", event.type(), event.id(), record.getTopic(),
                                record.getPartition(), offsetOf(record), poison.getMessage());
                        meters.counter("events.dead-lettered", "topic", topic).increment();
                        deadLettered.add(record.nack(poison).toCompletableFuture());
                        break;
                    }
                    LOG.warnf(e, "Could not apply %s %s; retrying in %s", event.type(), event.id(), backoff);
                    meters.counter("events.retried", "topic", topic).increment();
                    sleep(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
            }
        }
        return true;
    }

    private void apply(List<CloudEvent> events, Projection projection, String topic) {
        List<Projection.AfterCommit> afterCommit = QuarkusTransaction.requiringNew().call(() -> {
            replay.holdSharedForTransaction();
            List<Projection.AfterCommit> work = new ArrayList<>(events.size());
            for (CloudEvent event : events) {
                work.add(projection.apply(event));
                // Every query auto-flushes, which dirty-checks every entity loaded in the transaction:
                // without this a poll of n events costs O(n²).
                entityManager.flush();
                entityManager.clear();
            }
            return work;
        });
        List<CompletableFuture<?>> started = new ArrayList<>(afterCommit.size());
        for (Projection.AfterCommit work : afterCommit) {
            started.add(work.start().toCompletableFuture());
        }
        await(CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)));
        for (CloudEvent event : events) {
            meters.counter("events.consumed", "topic", topic, "type", event.type()).increment();
        }
    }

    private static void await(CompletableFuture<?> published) {
        try {
            published.get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Publishing after the commit failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Publishing after the commit took longer than " + PUBLISH_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing", e);
        }
    }

    private static PoisonRecordException poisonIn(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PoisonRecordException poison) {
                return poison;
            }
        }
        return null;
    }

    private static long offsetOf(KafkaRecord<String, String> record) {
        return record instanceof IncomingKafkaRecord<?, ?> incoming ? incoming.getOffset() : -1;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
