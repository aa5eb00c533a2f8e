package dev.mailops.billing.contract;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.mailops.billing.events.MailboxEvents;
import dev.mailops.billing.events.MailboxEvents.FeeChanged;
import dev.mailops.billing.notification.FeeChangeNotice;
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
    EntityManager entityManager;

    @Inject
    ContractRules rules;

    @Inject
    FeeChangeNotice feeChangeNotice;

    @Inject
    ProcessedEvents processedEvents;

    @Inject
    CloudEventReader reader;

    @Inject
    ContractQueries queries;

    private final ContractStore database = new ContractStore() {
        @Override
        public Contract contract(String tenantId) {
            return entityManager.find(Contract.class, tenantId);
        }

        @Override
        public ContractLine line(UUID mailboxId) {
            return entityManager.find(ContractLine.class, mailboxId);
        }

        @Override
        public BasicFeePeriod openPeriod(String tenantId) {
            return entityManager.createQuery(
                    "from BasicFeePeriod p where p.tenantId = :tenant and p.endsAt is null", BasicFeePeriod.class)
                    .setParameter("tenant", tenantId)
                    .getSingleResult();
        }

        @Override
        public void add(Contract contract) {
            entityManager.persist(contract);
        }

        @Override
        public void add(ContractLine line) {
            entityManager.persist(line);
        }

        @Override
        public void add(BasicFeePeriod period) {
            entityManager.persist(period);
        }

        @Override
        public void add(ContractRevision revision) {
            entityManager.persist(revision);
        }
    };

    /**
     * Applies the event once and returns the revision it caused: now, or at its first delivery when
     * this is a redelivery (so that the revision can be published again). A fee change's notice is
     * written in the same transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<ContractRevision> apply(CloudEvent event) {
        if (!processedEvents.firstDelivery(event)) {
            return queries.revisionCausedBy(event.id());
        }
        Object data = MailboxEvents.dataOf(event, reader);
        Optional<ContractRevision> revision = rules.apply(event, data, database);
        if (revision.isPresent() && data instanceof FeeChanged feeChanged) {
            feeChangeNotice.write(event, feeChanged);
        }
        return revision;
    }
}
