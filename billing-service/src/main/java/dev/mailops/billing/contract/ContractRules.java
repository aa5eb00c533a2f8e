package dev.mailops.billing.contract;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.mailops.billing.catalog.Catalog;
import dev.mailops.billing.events.MailboxEvents.FeeChanged;
import dev.mailops.billing.events.MailboxEvents.MailboxCreated;
import dev.mailops.billing.events.MailboxEvents.MailboxDeleted;
import dev.mailops.consumer.CloudEvent;

/**
 * How a billed mailbox event changes a tenant's contract: the one place these rules are written, used
 * live and by the rebuild alike. Each change raises the revision and records it with the totals after
 * the change; an event that changes nothing (a repeated plan, a line already there or already ended)
 * records nothing.
 */
@ApplicationScoped
public class ContractRules {

    private static final Logger LOG = Logger.getLogger(ContractRules.class);

    @Inject
    Catalog catalog;

    /** @param data the event's data as one of {@code MailboxEvents}' classes */
    Optional<ContractRevision> apply(CloudEvent event, Object data, ContractStore store) {
        return change(event, data, store).map(change -> recordRevision(event, change, store));
    }

    /** Changes the contract as the event says; returns a description, or empty when nothing changed. */
    private Optional<String> change(CloudEvent event, Object data, ContractStore store) {
        if (data instanceof MailboxCreated created) {
            if (store.line(created.mailboxId()) != null) {
                return Optional.empty();
            }
            Contract contract = contractFor(event.tenantId(), event.time(), store);
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
            store.add(line);
            contract.activeMailboxes++;
            contract.mailboxesMonthlyNet = contract.mailboxesMonthlyNet.add(price);
            return Optional.of("Mailbox " + created.address() + " added at rate " + created.rate() + " ("
                    + price + " " + catalog.currency() + " net per month)");
        }
        if (data instanceof MailboxDeleted deleted) {
            ContractLine line = store.line(deleted.mailboxId());
            if (line == null || !line.tenantId.equals(event.tenantId()) || line.endsAt != null) {
                LOG.warnf("MailboxDeleted %s for mailbox %s has no open contract line; nothing to end", event.id(),
                        deleted.mailboxId());
                return Optional.empty();
            }
            line.endsAt = event.time();
            Contract contract = store.contract(line.tenantId);
            contract.activeMailboxes--;
            contract.mailboxesMonthlyNet = contract.mailboxesMonthlyNet.subtract(line.monthlyNetPrice);
            return Optional.of("Mailbox " + line.address + " removed");
        }
        if (data instanceof FeeChanged changed) {
            Contract contract = contractFor(event.tenantId(), event.time(), store);
            if (changed.newPlan().equals(contract.basicFeePlan)) {
                return Optional.empty();
            }
            BigDecimal price = catalog.basicFee(changed.newPlan())
                    .orElseThrow(() -> new IllegalStateException("Basic fee plan " + changed.newPlan()
                            + " is not in this build's catalog; deploy the current catalog"))
                    .monthlyNetPrice();
            store.openPeriod(contract.tenantId).endsAt = event.time();
            addPeriod(contract.tenantId, changed.newPlan(), price, event.time(), store);
            String old = contract.basicFeePlan;
            contract.basicFeePlan = changed.newPlan();
            contract.basicFeeMonthlyNet = price;
            return Optional.of("Basic fee changed from " + old + " to " + changed.newPlan() + " (" + price + " "
                    + catalog.currency() + " net per month)");
        }
        return Optional.empty();
    }

    private ContractRevision recordRevision(CloudEvent event, String change, ContractStore store) {
        Contract contract = store.contract(event.tenantId());
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
        store.add(revision);
        return revision;
    }

    /** The tenant's contract, opened on the default plan with the first billed event. */
    private Contract contractFor(String tenantId, Instant since, ContractStore store) {
        Contract contract = store.contract(tenantId);
        if (contract == null) {
            Catalog.BasicFeePlan plan = catalog.defaultBasicFee();
            contract = new Contract();
            contract.tenantId = tenantId;
            contract.basicFeePlan = plan.id();
            contract.basicFeeMonthlyNet = plan.monthlyNetPrice();
            contract.createdAt = since;
            contract.updatedAt = since;
            store.add(contract);
            addPeriod(tenantId, plan.id(), plan.monthlyNetPrice(), since, store);
        }
        return contract;
    }

    private static void addPeriod(String tenantId, String plan, BigDecimal price, Instant since, ContractStore store) {
        BasicFeePeriod period = new BasicFeePeriod();
        period.tenantId = tenantId;
        period.plan = plan;
        period.monthlyNetPrice = price;
        period.startsAt = since;
        store.add(period);
    }
}
