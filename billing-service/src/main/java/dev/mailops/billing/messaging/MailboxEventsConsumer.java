package dev.mailops.billing.messaging;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;

import dev.mailops.billing.contract.ContractLedger;
import dev.mailops.billing.contract.ContractQueries;
import dev.mailops.billing.contract.ContractRevision;
import dev.mailops.billing.events.MailboxEvents;
import dev.mailops.billing.notification.NoticeSender;
import dev.mailops.consumer.CloudEvent;
import dev.mailops.consumer.EventConsumption;
import dev.mailops.consumer.TopicReplay;

/**
 * Consumes mailbox.events in billing-service's own group, one record at a time (so per tenant in
 * order): poison to the dead-letter topic, everything else applied exactly once (see
 * {@link EventConsumption}), and what a change causes published after its commit.
 */
@ApplicationScoped
public class MailboxEventsConsumer {

    @Inject
    EventConsumption consumption;
    @Inject
    TopicReplay replay;
    @Inject
    ContractLedger ledger;
    @Inject
    ContractQueries queries;
    @Inject
    ContractUpdatedPublisher publisher;
    @Inject
    NoticeSender notices;
    @Inject
    ManagedExecutor mailing;

    @Incoming("mailbox-events")
    @Blocking
    public CompletionStage<Void> consume(Message<String> message) {
        return consumption.process(message, MailboxEvents.BILLED_TYPES, this::process);
    }

    /** Applies the event once; publishes (again, after a redelivery) what it caused. */
    void process(CloudEvent event) {
        ContractLedger.Outcome outcome = QuarkusTransaction.requiringNew().call(() -> {
            replay.holdSharedForTransaction();
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
}
