package dev.mailops.billing.contract.rules;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.mailops.billing.catalog.Catalog;
import dev.mailops.billing.events.BilledEvent;
import dev.mailops.billing.events.MailboxEvents.FeeChanged;
import dev.mailops.billing.events.MailboxEvents.MailboxCreated;
import dev.mailops.billing.events.MailboxEvents.MailboxDeleted;
import dev.mailops.billing.events.MailboxEvents.RateChanged;

/**
 * How a billed mailbox event changes a tenant's contract: the one place these rules are written, used
 * live and by the rebuild alike. Each change raises the revision and returns it with the totals after
 * the change; an event that changes nothing (a repeated plan or rate, a line already there or already
 * ended) returns nothing. A mailbox has a line per rate it had: a rate change ends the open line and
 * opens the new rate's at the event's time. A tenant's contract opens on the catalog's default plan with
 * its first billed event.
 */
@ApplicationScoped
public class ContractRules {

    private static final Logger LOG = Logger.getLogger(ContractRules.class);

    private final Catalog catalog;

    @Inject
    public ContractRules(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Changes the contract in the store as the event says; returns the revision that caused, if any. */
    public Optional<Revision> apply(BilledEvent event, ContractStore store) {
        if (event.data() instanceof MailboxCreated created) {
            return mailboxCreated(event, created, store);
        }
        if (event.data() instanceof MailboxDeleted deleted) {
            return mailboxDeleted(event, deleted, store);
        }
        if (event.data() instanceof FeeChanged changed) {
            return feeChanged(event, changed, store);
        }
        if (event.data() instanceof RateChanged changed) {
            return rateChanged(event, changed, store);
        }
        return Optional.empty();
    }

    /** A new mailbox is billed from its creation at its rate's current price; a known mailbox changes nothing. */
    private Optional<Revision> mailboxCreated(BilledEvent event, MailboxCreated created, ContractStore store) {
        if (store.known(created.mailboxId())) {
            return Optional.empty();
        }
        BigDecimal price = ratePrice(created.rate(), created.mailboxId()); // before anything is opened
        ContractHead contract = contractFor(event, store);
        store.add(MailboxLine.opened(created.mailboxId(), contract.tenantId(), created.address(), created.rate(),
                price, event.time()));
        return revise(event, contract.withMailboxAdded(price), "Mailbox " + created.address() + " added at rate "
                + created.rate() + " (" + price + " " + catalog.currency() + " net per month)", store);
    }

    /** A deleted mailbox's open line ends; a mailbox without one (unknown, other tenant's, ended) changes nothing. */
    private Optional<Revision> mailboxDeleted(BilledEvent event, MailboxDeleted deleted, ContractStore store) {
        MailboxLine line = openLine(event, deleted.mailboxId(), store);
        if (line == null) {
            return Optional.empty();
        }
        store.endOpenLine(line.mailboxId(), event.time(), false);
        ContractHead contract = store.contract(line.tenantId());
        return revise(event, contract.withMailboxRemoved(line.monthlyNetPrice()), "Mailbox " + line.address()
                + " removed", store);
    }

    /**
     * Another rate ends the mailbox's open line and opens one at the new rate's current price, both at the
     * event's time; the booked rate, or a mailbox without an open line (unknown, other tenant's, deleted),
     * changes nothing.
     */
    private Optional<Revision> rateChanged(BilledEvent event, RateChanged changed, ContractStore store) {
        MailboxLine line = openLine(event, changed.mailboxId(), store);
        if (line == null || line.rate().equals(changed.rate())) {
            return Optional.empty();
        }
        BigDecimal price = ratePrice(changed.rate(), changed.mailboxId());
        store.endOpenLine(line.mailboxId(), event.time(), true);
        store.add(MailboxLine.opened(line.mailboxId(), line.tenantId(), line.address(), changed.rate(), price,
                event.time()));
        ContractHead contract = store.contract(line.tenantId());
        return revise(event, contract.withMailboxRepriced(line.monthlyNetPrice(), price), "Mailbox " + line.address()
                + " changed from rate " + line.rate() + " to " + changed.rate() + " (" + price + " "
                + catalog.currency() + " net per month)", store);
    }

    /** The mailbox's open line on the event's tenant's contract, or null (unknown, other tenant's, ended): logged. */
    private static MailboxLine openLine(BilledEvent event, UUID mailboxId, ContractStore store) {
        MailboxLine line = store.openLine(mailboxId);
        if (line == null || !line.tenantId().equals(event.tenantId())) {
            LOG.warnf("%s %s for mailbox %s has no open contract line; it changes nothing", event.type(), event.id(),
                    mailboxId);
            return null;
        }
        return line;
    }

    /**
     * A rate missing from this build's catalog is an error, never a guessed price: the event is
     * dead-lettered after its attempts, and a replay applies it once the current catalog is deployed.
     */
    private BigDecimal ratePrice(String rate, UUID mailboxId) {
        return catalog.rate(rate)
                .orElseThrow(() -> new IllegalStateException("Rate " + rate + " of mailbox " + mailboxId
                        + " is not in this build's catalog; deploy the current catalog"))
                .monthlyNetPrice();
    }

    /** Another plan closes the current fee period and opens one at the plan's price; the booked plan changes nothing. */
    private Optional<Revision> feeChanged(BilledEvent event, FeeChanged changed, ContractStore store) {
        BigDecimal price = catalog.basicFee(changed.newPlan()) // before anything is opened
                .orElseThrow(() -> new IllegalStateException("Basic fee plan " + changed.newPlan()
                        + " is not in this build's catalog; deploy the current catalog"))
                .monthlyNetPrice();
        ContractHead contract = contractFor(event, store);
        if (changed.newPlan().equals(contract.basicFeePlan())) {
            return Optional.empty();
        }
        store.endOpenPeriod(contract.tenantId(), event.time());
        store.add(new FeePeriod(contract.tenantId(), changed.newPlan(), price, event.time(), null));
        return revise(event, contract.withPlan(changed.newPlan(), price), "Basic fee changed from "
                + contract.basicFeePlan() + " to " + changed.newPlan() + " (" + price + " " + catalog.currency()
                + " net per month)", store);
    }

    private static Optional<Revision> revise(BilledEvent event, ContractHead changed, String change,
            ContractStore store) {
        ContractHead contract = changed.revisedAt(event.time());
        store.put(contract);
        return Optional.of(new Revision(contract.tenantId(), contract.revision(), event.id(), event.type(),
                event.subject(), event.time(), change, contract.basicFeePlan(), contract.activeMailboxes(),
                contract.monthlyNetTotal()));
    }

    /** The tenant's contract, opened on the default plan with the first billed event. */
    private ContractHead contractFor(BilledEvent event, ContractStore store) {
        ContractHead contract = store.contract(event.tenantId());
        if (contract == null) {
            Catalog.BasicFeePlan plan = catalog.defaultBasicFee();
            contract = ContractHead.opened(event.tenantId(), plan.id(), plan.monthlyNetPrice(), event.time());
            store.put(contract);
            store.add(new FeePeriod(event.tenantId(), plan.id(), plan.monthlyNetPrice(), event.time(), null));
        }
        return contract;
    }
}
