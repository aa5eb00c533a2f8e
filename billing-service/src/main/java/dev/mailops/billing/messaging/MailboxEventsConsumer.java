package dev.mailops.billing.messaging;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;

import dev.mailops.billing.contract.ContractLedger;
import dev.mailops.billing.contract.ContractRevision;
import dev.mailops.billing.events.MailboxEvents;
import dev.mailops.billing.notification.NoticeSender;
import dev.mailops.consumer.CloudEvent;
import dev.mailops.consumer.EventConsumption;
import dev.mailops.consumer.Projection;

/**
 * Consumes mailbox.events in billing-service's own group, a poll at a time in offset order (so per
 * tenant in order): poison to the dead-letter topic, everything else applied exactly once (see
 * {@link EventConsumption}), with the contract revisions it caused written to the outbox in the same
 * transaction.
 */
@ApplicationScoped
public class MailboxEventsConsumer implements Projection {

    @Inject
    EventConsumption consumption;
    @Inject
    ContractLedger ledger;
    @Inject
    ContractUpdatedEvents contractUpdates;
    @Inject
    NoticeSender notices;
    @Inject
    ManagedExecutor mailing;

    @Incoming("mailbox-events")
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
        return consumption.process(batch, MailboxEvents.BILLED_TYPES, this);
    }

    /**
     * Applies the event once and writes the ContractUpdated of the revision it caused to the outbox,
     * in the same transaction, so a revision is published exactly when it commits; a redelivery
     * causes nothing. After the commit, a fee change's notice is mailed.
     */
    @Override
    public AfterCommit apply(CloudEvent event) {
        Optional<ContractRevision> revision = ledger.apply(event);
        revision.ifPresent(contractUpdates::append);
        if (!"FeeChanged".equals(event.type())) {
            return AfterCommit.NOTHING;
        }
        return () -> {
            // Mail is slow and may be down: never hold the partition for it (the schedule retries).
            mailing.execute(() -> notices.sendFor(event.id()));
            return CompletableFuture.completedFuture(null);
        };
    }
}
