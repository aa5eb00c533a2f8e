package dev.mailops.mailhost.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;

import dev.mailops.consumer.FailureClassifier;
import dev.mailops.consumer.PoisonRecordException;
import dev.mailops.consumer.PollsApplying;
import dev.mailops.consumer.RecordFailedException;
import dev.mailops.consumer.TopicReplay;
import dev.mailops.mailhost.credentials.CredentialChange;
import dev.mailops.mailhost.credentials.CredentialRecords;
import dev.mailops.mailhost.credentials.CredentialTables;
import dev.mailops.mailhost.dkim.DkimKeyChange;
import dev.mailops.mailhost.dkim.DkimKeyRecords;
import dev.mailops.mailhost.dkim.DkimKeyWriter;
import dev.mailops.mailhost.dkim.DkimTables;

/**
 * Consumes the compacted, restricted topic mailbox.credentials: the mailboxes' password hashes (key =
 * mailbox id) and the domains' sealed DKIM private keys (key = {@code dkim:<keyId>}). Each poll's
 * records and tombstones are written in one transaction, in offset order (so the last record of a key
 * wins), and a changed DKIM key wakes the key writer.
 * Writing a credential is idempotent, so a poll that meets a transient fault (database away) is simply
 * written again, with backoff, holding its partitions until it succeeds. A poll that keeps failing with
 * another error is written record by record, and a record that still fails after
 * {@code mailops.consumer.max-attempts} goes to the dead-letter topic, as does a record that is no
 * credential (restricted like this one: it may hold a hash or a sealed key), so one record never holds
 * the others. Nothing logged here ever holds a value.
 */
@ApplicationScoped
public class CredentialsConsumer {

    private static final Logger LOG = Logger.getLogger(CredentialsConsumer.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    @Inject
    CredentialRecords records;
    @Inject
    CredentialTables tables;
    @Inject
    DkimKeyRecords dkimRecords;
    @Inject
    DkimTables dkimTables;
    @Inject
    DkimKeyWriter keyWriter;
    @Inject
    TopicReplay replay;
    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "mailops.consumer.max-attempts", defaultValue = "5")
    int maxAttempts;

    private volatile boolean running = true;

    void onStop(@Observes ShutdownEvent event) {
        running = false;
    }

    @Incoming("mailbox-credentials")
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
        List<Object> changes = new ArrayList<>();
        List<KafkaRecord<String, String>> sources = new ArrayList<>();
        List<CompletableFuture<Void>> deadLettered = new ArrayList<>();
        for (KafkaRecord<String, String> record : batch) {
            try {
                changes.add(read(record.getKey(), record.getPayload(), timestampOf(record)));
                sources.add(record);
            } catch (PoisonRecordException e) {
                deadLettered.add(deadLetter(record, e));
            }
        }
        if (!changes.isEmpty() && !PollsApplying.of(meters, sources.get(0).getTopic())
                .record(() -> write(sources, changes, deadLettered))) {
            return new CompletableFuture<>(); // stopping: the poll is consumed again after the restart
        }
        if (changes.stream().anyMatch(DkimKeyChange.class::isInstance)) {
            keyWriter.wake();
        }
        return CompletableFuture.allOf(deadLettered.toArray(CompletableFuture[]::new)).thenCompose(done -> batch.ack());
    }

    /** What a record of the topic says: a mailbox's {@link CredentialChange} or a {@link DkimKeyChange}; poison otherwise. */
    public Object read(String key, String value, Instant timestamp) {
        return DkimKeyRecords.isDkimKey(key) ? dkimRecords.read(key, value, timestamp) : records.read(key, value, timestamp);
    }

    /** Applies what {@link #read} made of a record, inside the caller's transaction. */
    public void apply(Object change) {
        if (change instanceof DkimKeyChange key) {
            dkimTables.apply(key);
        } else {
            tables.apply((CredentialChange) change);
        }
    }

    /** The poll in one transaction, else record by record; false when stopping. */
    private boolean write(List<KafkaRecord<String, String>> sources, List<Object> changes,
            List<CompletableFuture<Void>> deadLettered) {
        Written all = attempt(changes);
        if (all.stopped()) {
            return false;
        }
        if (all.failure() == null) {
            return true;
        }
        for (int i = 0; i < changes.size(); i++) {
            Written one = attempt(List.of(changes.get(i)));
            if (one.stopped()) {
                return false;
            }
            if (one.failure() != null) {
                deadLettered.add(deadLetter(sources.get(i), new RecordFailedException(maxAttempts, one.failure())));
            }
        }
        return true;
    }

    /** The outcome of writing changes: written, stopped, or the non-transient error of the last of its attempts. */
    private record Written(boolean stopped, RuntimeException failure) {
    }

    /** Transient faults are retried for as long as they last; other errors {@code maxAttempts} times. */
    private Written attempt(List<Object> changes) {
        Duration backoff = FIRST_BACKOFF;
        int failures = 0;
        while (running) {
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    replay.holdSharedForTransaction();
                    changes.forEach(this::apply);
                });
                for (Object change : changes) {
                    meters.counter("mailhost.credentials.applied", "kind", kind(change)).increment();
                }
                return new Written(false, null);
            } catch (RuntimeException e) {
                boolean transientFault = FailureClassifier.isTransient(e);
                if (!transientFault && ++failures >= maxAttempts) {
                    return new Written(false, e);
                }
                LOG.warnf("Could not write %d credentials (%s, %s); retrying in %s", changes.size(),
                        e.getClass().getSimpleName(), transientFault ? "transient fault"
                                : "failure " + failures + " of " + maxAttempts, backoff);
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        return new Written(true, null);
    }

    private CompletableFuture<Void> deadLetter(KafkaRecord<String, String> record, RuntimeException reason) {
        LOG.errorf("Dead-lettering %s-%d@%d: %s", record.getTopic(), record.getPartition(), offsetOf(record),
                reason.getMessage());
        meters.counter("mailhost.credentials.dead-lettered").increment();
        return record.nack(reason).toCompletableFuture();
    }

    private static String kind(Object change) {
        if (change instanceof DkimKeyChange key) {
            return key instanceof DkimKeyChange.Removed ? "dkim-tombstone" : "dkim-key";
        }
        return change instanceof CredentialChange.Revoked ? "tombstone" : "credential";
    }

    private static Instant timestampOf(KafkaRecord<String, String> record) {
        return record instanceof IncomingKafkaRecord<?, ?> incoming ? incoming.getTimestamp() : Instant.now();
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
