package dev.mailops.billing.messaging;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import org.eclipse.microprofile.context.ManagedExecutor;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

import dev.mailops.billing.contract.ContractLedger;
import dev.mailops.billing.contract.ContractQueries;
import dev.mailops.billing.contract.ContractRevision;
import dev.mailops.billing.events.EventReader;
import dev.mailops.billing.events.IncomingEvent;
import dev.mailops.billing.events.PoisonEventException;
import dev.mailops.billing.notification.NoticeSender;

/**
 * Consumes mailbox.events in billing-service's own group, one record at a time per partition (so
 * per tenant in order). A record that can never be processed goes to the dead-letter topic with the
 * reason in its headers; any other failure (database, broker) is retried with backoff, holding the
 * partition, and the offset is committed only after the contract change committed.
 */
@ApplicationScoped
public class MailboxEventsConsumer {

    private static final Logger LOG = Logger.getLogger(MailboxEventsConsumer.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    @Inject
    EventReader reader;
    @Inject
    ContractLedger ledger;
    @Inject
    ContractQueries queries;
    @Inject
    ContractUpdatedPublisher publisher;
    @Inject
    NoticeSender notices;
    @Inject
    ReplayLock replayLock;
    @Inject
    MeterRegistry meters;
    @Inject
    ManagedExecutor mailing;

    private volatile boolean running = true;

    void onStop(@Observes ShutdownEvent event) {
        running = false;
    }

    @Incoming("mailbox-events")
    @Blocking
    public CompletionStage<Void> consume(Message<String> message) {
        @SuppressWarnings("unchecked")
        IncomingKafkaRecordMetadata<String, String> record = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow();
        IncomingEvent event;
        try {
            event = reader.read(record.getHeaders(), record.getKey(), message.getPayload());
        } catch (PoisonEventException e) {
            LOG.errorf("Dead-lettering record %s-%d@%d: %s", record.getTopic(), record.getPartition(),
                    record.getOffset(), e.getMessage());
            meters.counter("billing.events.dead-lettered").increment();
            return message.nack(e);
        }
        Duration backoff = Duration.ofMillis(100);
        while (running) {
            try {
                process(event);
                meters.counter("billing.events.consumed", "type", event.type()).increment();
                return message.ack();
            } catch (RuntimeException e) {
                LOG.warnf(e, "Could not apply %s %s; retrying in %s", event.type(), event.id(), backoff);
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        // Shutting down: neither ack nor nack, so the record is consumed again after the restart.
        return new CompletableFuture<>();
    }

    /** Applies the event once; publishes (again, after a redelivery) what it caused. */
    void process(IncomingEvent event) {
        ContractLedger.Outcome outcome = QuarkusTransaction.requiringNew().call(() -> {
            replayLock.holdSharedForTransaction();
            return ledger.apply(event, false);
        });
        Optional<ContractRevision> revision = outcome.duplicate()
                ? QuarkusTransaction.requiringNew().call(() -> queries.revisionCausedBy(event.id()))
                : outcome.revision();
        revision.ifPresent(publisher::publish);
        if ("FeeChanged".equals(event.type())) {
            // Mail is slow and may be down: never hold the partition for it (the schedule retries).
            mailing.execute(() -> notices.sendFor(event.id()));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
