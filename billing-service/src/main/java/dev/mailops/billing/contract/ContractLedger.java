package dev.mailops.billing.contract;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.mailops.billing.catalog.Catalog;
import dev.mailops.billing.events.MailboxEvents;
import dev.mailops.billing.events.MailboxEvents.FeeChanged;
import dev.mailops.billing.events.MailboxEvents.MailboxCreated;
import dev.mailops.billing.events.MailboxEvents.MailboxDeleted;
import dev.mailops.billing.notification.FeeChangeNotice;
import dev.mailops.billing.notification.Notification;
import dev.mailops.consumer.CloudEvent;
import dev.mailops.consumer.CloudEventReader;
import dev.mailops.consumer.ProcessedEvents;

/**
 * Applies mailbox events to the tenants' contracts. Each event is applied at most once: its id goes
 * into processed_event in the same transaction as the contract change, so a redelivery is recognised
 * and changes nothing.
 */
@ApplicationScoped
public class ContractLedger {

    private static final Logger LOG = Logger.getLogger(ContractLedger.class);

    /** What applying one event did. */
    public record Outcome(boolean duplicate, Optional<ContractRevision> revision, Optional<Notification> notice) {
        static Outcome duplicateOf() {
            return new Outcome(true, Optional.empty(), Optional.empty());
        }
    }

    @Inject
    EntityManager entityManager;

    @Inject
    Catalog catalog;

    @Inject
    FeeChangeNotice feeChangeNotice;

    @Inject
    ProcessedEvents processedEvents;

    @Inject
    CloudEventReader reader;

    /** @param replaying true while rebuilding from the topic: no notices are written then. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Outcome apply(CloudEvent event, boolean replaying) {
        if (!processedEvents.firstDelivery(event)) {
            return Outcome.duplicateOf();
        }
        Object data = MailboxEvents.dataOf(event, reader);
        Optional<String> change = change(event, data);
        if (change.isEmpty()) {
            return new Outcome(false, Optional.empty(), Optional.empty());
        }
        ContractRevision revision = recordRevision(event, change.get());
        Optional<Notification> notice = replaying || !(data instanceof FeeChanged feeChanged)
                ? Optional.empty()
                : feeChangeNotice.write(event, feeChanged);
        return new Outcome(false, Optional.of(revision), notice);
    }

    /** Changes the contract as the event says; returns a description, or empty when nothing changed. */
    private Optional<String> change(CloudEvent event, Object data) {
        if (data instanceof MailboxCreated created) {
            if (entityManager.find(ContractLine.class, created.mailboxId()) != null) {
                return Optional.empty();
            }
            Contract contract = contractFor(event.tenantId(), event.time());
            BigDecimal price = catalog.rate(created.rate())
                    .orElseThrow(() -> new IllegalStateException("Rate " + created.rate() + " of mailbox "
                            + created.mailboxId() + " is not in this build's catalog; deploy the current catalog"))
                    .monthlyNetPrice();
            ContractLine line = new ContractLine();
            line.mailboxId = created.mailboxId();
            line.tenantId = contract.tenantId;
            line.address = created.address();
            line.rate = created.rate();
            line.monthlyNetPrice = price;
            line.startsAt = event.time();
            entityManager.persist(line);
            contract.activeMailboxes++;
            contract.mailboxesMonthlyNet = contract.mailboxesMonthlyNet.add(price);
            return Optional.of("Mailbox " + created.address() + " added at rate " + created.rate() + " ("
                    + price + " " + catalog.currency() + " net per month)");
        }
        if (data instanceof MailboxDeleted deleted) {
            ContractLine line = entityManager.find(ContractLine.class, deleted.mailboxId());
            if (line == null || !line.tenantId.equals(event.tenantId()) || line.endsAt != null) {
                LOG.warnf("MailboxDeleted %s for mailbox %s has no open contract line; nothing to end", event.id(),
                        deleted.mailboxId());
                return Optional.empty();
            }
            line.endsAt = event.time();
            Contract contract = entityManager.find(Contract.class, line.tenantId);
            contract.activeMailboxes--;
            contract.mailboxesMonthlyNet = contract.mailboxesMonthlyNet.subtract(line.monthlyNetPrice);
            return Optional.of("Mailbox " + line.address + " removed");
        }
        if (data instanceof FeeChanged changed) {
            Contract contract = contractFor(event.tenantId(), event.time());
            if (changed.newPlan().equals(contract.basicFeePlan)) {
                return Optional.empty();
            }
            BigDecimal price = catalog.basicFee(changed.newPlan())
                    .orElseThrow(() -> new IllegalStateException("Basic fee plan " + changed.newPlan()
                            + " is not in this build's catalog; deploy the current catalog"))
                    .monthlyNetPrice();
            openPeriod(contract.tenantId).endsAt = event.time();
            addPeriod(contract.tenantId, changed.newPlan(), price, event.time());
            String old = contract.basicFeePlan;
            contract.basicFeePlan = changed.newPlan();
            contract.basicFeeMonthlyNet = price;
            return Optional.of("Basic fee changed from " + old + " to " + changed.newPlan() + " (" + price + " "
                    + catalog.currency() + " net per month)");
        }
        return Optional.empty();
    }

    private ContractRevision recordRevision(CloudEvent event, String change) {
        Contract contract = entityManager.find(Contract.class, event.tenantId());
        contract.revision++;
        contract.updatedAt = event.time();
        ContractRevision revision = new ContractRevision();
        revision.tenantId = contract.tenantId;
        revision.revision = contract.revision;
        revision.causeEventId = event.id();
        revision.causeEventType = event.type();
        revision.causeSubject = event.subject();
        revision.occurredAt = event.time();
        revision.change = change;
        revision.basicFeePlan = contract.basicFeePlan;
        revision.activeMailboxes = contract.activeMailboxes;
        revision.monthlyNetTotal = contract.mailboxesMonthlyNet.add(contract.basicFeeMonthlyNet);
        entityManager.persist(revision);
        return revision;
    }

    /** The tenant's contract, opened on the default plan with the first billed event. */
    private Contract contractFor(String tenantId, Instant since) {
        Contract contract = entityManager.find(Contract.class, tenantId);
        if (contract == null) {
            Catalog.BasicFeePlan plan = catalog.defaultBasicFee();
            contract = new Contract();
            contract.tenantId = tenantId;
            contract.basicFeePlan = plan.id();
            contract.createdAt = since;
            contract.updatedAt = since;
            contract.basicFeeMonthlyNet = plan.monthlyNetPrice();
            entityManager.persist(contract);
            addPeriod(tenantId, plan.id(), plan.monthlyNetPrice(), since);
        }
        return contract;
    }

    private BasicFeePeriod openPeriod(String tenantId) {
        return entityManager.createQuery(
                "from BasicFeePeriod p where p.tenantId = :tenant and p.endsAt is null", BasicFeePeriod.class)
                .setParameter("tenant", tenantId)
                .getSingleResult();
    }

    private void addPeriod(String tenantId, String plan, BigDecimal price, Instant since) {
        BasicFeePeriod period = new BasicFeePeriod();
        period.tenantId = tenantId;
        period.plan = plan;
        period.monthlyNetPrice = price;
        period.startsAt = since;
        entityManager.persist(period);
    }
}
