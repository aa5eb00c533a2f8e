package dev.mailops.consumer;

import java.nio.charset.StandardCharsets;
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

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * What a consumer does with each poll of records (the channel runs with {@code batch=true}):
 * <ul>
 * <li>records of types the projection ignores are acknowledged by their {@code ce_type} header alone;</li>
 * <li>a record that can never be processed is nacked, which the channel's dead-letter-queue strategy
 * turns into a copy on the dead-letter topic with the reason in its headers; so is a record whose data
 * the projection refuses with a {@link PoisonRecordException} (found when the poll is applied one by one);</li>
 * <li>the other records are applied in one transaction, in poll order (per partition, so per tenant,
 * in offset order), and what they caused is published after the commit;</li>
 * <li>when that transaction fails, the poll is applied again one record per transaction, so the
 * records before a failing one are kept and the order stays. A record that fails with a transient
 * fault (database or broker down, a lock conflict; {@link FailureClassifier}) holds its partition and is
 * retried with backoff until it succeeds: it is never skipped. A record that fails otherwise (an unknown
 * rate, say) is tried {@code mailops.consumer.max-attempts} times (5) with the same backoff, then
 * dead-lettered with a {@link RecordFailedException}, and the partition moves on.</li>
 * </ul>
 * Dead letters are counted in {@code events.dead-lettered} by topic and reason ({@code poison} or
 * {@code failed}).
 * The poll is acknowledged (its offsets may be committed) only after all of that. While the service
 * shuts down a poll is neither acknowledged nor nacked, so it is consumed again after the restart.
 */
@ApplicationScoped
public class EventConsumption {

    private static final Logger LOG = Logger.getLogger(EventConsumption.class);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);
    /** Dead-letter headers besides SmallRye's: how often the record was tried, and the error's class. */
    public static final String ATTEMPTS_HEADER = "dead-letter-attempts";
    public static final String ERROR_CLASS_HEADER = "dead-letter-error-class";

    @Inject
    CloudEventReader reader;

    @Inject
    TopicReplay replay;

    @Inject
    MeterRegistry meters;

    /** How often a record that fails with a non-transient error is tried before it is dead-lettered. */
    @ConfigProperty(name = "mailops.consumer.max-attempts", defaultValue = "5")
    int maxAttempts;

    /** The pause after a record's first failure; each further failure doubles it, up to the cap. */
    @ConfigProperty(name = "mailops.consumer.first-backoff", defaultValue = "0.1s")
    Duration firstBackoff;

    @ConfigProperty(name = "mailops.consumer.max-backoff", defaultValue = "5s")
    Duration maxBackoff;

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
                meters.counter("events.dead-lettered", "topic", record.getTopic(), "reason", "poison").increment();
                deadLettered.add(record.nack(e).toCompletableFuture());
            }
        }
        if (!events.isEmpty() && !PollsApplying.of(meters, topic).record(() -> applyTogether(events, projection, topic)
                || applyOneByOne(events, projection, topic, records, deadLettered))) {
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
            Duration backoff = firstBackoff;
            int failures = 0;
            while (true) {
                if (!running) {
                    return false;
                }
                try {
                    apply(List.of(event), projection, topic);
                    break;
                } catch (RuntimeException e) {
                    KafkaRecord<String, String> record = records.get(event);
                    PoisonRecordException poison = poisonIn(e);
                    if (poison != null) {
                        LOG.errorf("Dead-lettering %s %s (%s-%d@%d): %s", event.type(), event.id(), record.getTopic(),
                                record.getPartition(), offsetOf(record), poison.getMessage());
                        meters.counter("events.dead-lettered", "topic", topic, "reason", "poison").increment();
                        deadLettered.add(record.nack(poison).toCompletableFuture());
                        break;
                    }
                    boolean transientFault = FailureClassifier.isTransient(e);
                    if (!transientFault && ++failures >= maxAttempts) {
                        RecordFailedException failed = new RecordFailedException(failures, e);
                        LOG.errorf(e, "Dead-lettering %s %s (%s-%d@%d): %s", event.type(), event.id(), record.getTopic(),
                                record.getPartition(), offsetOf(record), failed.getMessage());
                        meters.counter("events.dead-lettered", "topic", topic, "reason", "failed").increment();
                        deadLettered.add(deadLetter(record, failed));
                        break;
                    }
                    LOG.warnf(e, "Could not apply %s %s (%s); retrying in %s", event.type(), event.id(),
                            transientFault ? "transient fault" : "failure " + failures + " of " + maxAttempts, backoff);
                    meters.counter("events.retried", "topic", topic).increment();
                    sleep(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
                }
            }
        }
        return true;
    }

    private static CompletableFuture<Void> deadLetter(KafkaRecord<String, String> record, RecordFailedException failed) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(ATTEMPTS_HEADER, String.valueOf(failed.attempts()).getBytes(StandardCharsets.UTF_8));
        headers.add(ERROR_CLASS_HEADER, failed.errorClass().getBytes(StandardCharsets.UTF_8));
        return record.nack(failed, Metadata.of(OutgoingKafkaRecordMetadata.builder().withHeaders(headers).build()))
                .toCompletableFuture();
    }

    private void apply(List<CloudEvent> events, Projection projection, String topic) {
        List<Projection.AfterCommit> afterCommit = QuarkusTransaction.requiringNew().call(() -> {
            replay.holdSharedForTransaction();
            List<Projection.AfterCommit> work = new ArrayList<>(events.size());
            for (CloudEvent event : events) {
                work.add(projection.apply(event));
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
            throw new PublicationFailed("Publishing after the commit failed", e.getCause());
        } catch (TimeoutException e) {
            throw new PublicationFailed("Publishing after the commit took longer than " + PUBLISH_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublicationFailed("Interrupted while publishing", e);
        }
    }

    /** What followed an event's commit failed: always retried, as the event's change is already committed. */
    static final class PublicationFailed extends IllegalStateException {
        PublicationFailed(String message, Throwable cause) {
            super(message, cause);
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
