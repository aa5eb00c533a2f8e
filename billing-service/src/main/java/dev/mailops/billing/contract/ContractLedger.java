package dev.mailops.billing.contract;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.mailops.billing.contract.rules.ContractRules;
import dev.mailops.billing.events.BilledEvent;
import dev.mailops.billing.events.MailboxEvents;
import dev.mailops.billing.events.MailboxEvents.FeeChanged;
import dev.mailops.consumer.CloudEvent;
import dev.mailops.consumer.CloudEventReader;
import dev.mailops.consumer.ProcessedEvents;

/**
 * Applies live mailbox events to the tenants' contracts in the database. Each event is applied at
 * most once: its id goes into processed_event in the same transaction as the contract change, so a
 * redelivery is recognised and changes nothing.
 */
@ApplicationScoped
public class ContractLedger {

    @Inject
    ContractRules rules;

    @Inject
    DatabaseContracts contracts;

    @Inject
    Event<FeeChangeApplied> feeChanges;

    @Inject
    ProcessedEvents processedEvents;

    @Inject
    CloudEventReader reader;

    @Inject
    ContractQueries queries;

    /**
     * Applies the event once and returns the revision it caused; a redelivery causes none (what its
     * first delivery caused was published through the outbox of that delivery's transaction). A fee
     * change that revised the contract is reported as {@link FeeChangeApplied} in the same transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<ContractRevision> apply(CloudEvent event) {
        if (!processedEvents.firstDelivery(event)) {
            return Optional.empty();
        }
        BilledEvent billed = MailboxEvents.billed(event, reader);
        Optional<ContractRevision> revision = rules.apply(billed, contracts).map(ContractRevision::of);
        revision.ifPresent(contracts::add);
        if (revision.isPresent() && billed.data() instanceof FeeChanged changed) {
            feeChanges.fire(new FeeChangeApplied(event.id(), event.tenantId(), changed.oldPlan(), changed.newPlan()));
        }
        return revision;
    }
}
