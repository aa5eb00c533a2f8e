package dev.mailops.billing.notification;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.mailops.billing.catalog.Catalog;
import dev.mailops.billing.contract.BillingAddress;
import dev.mailops.billing.contract.ContractQueries;
import dev.mailops.billing.contract.FeeChangeApplied;
import dev.mailops.kit.jdbc.Database;

/**
 * After a change of basic fee the tenant gets an email with what the new plan costs and includes.
 * The email is written in the transaction that applies the change (this observes the ledger's
 * {@link FeeChangeApplied}) and sent after it by {@link NoticeSender}.
 */
@ApplicationScoped
public class FeeChangeNotice {

    private static final Logger LOG = Logger.getLogger(FeeChangeNotice.class);

    @Inject
    Database database;

    @Inject
    ContractQueries queries;

    @Inject
    Catalog catalog;

    @Inject
    Clock clock;

    @Transactional(Transactional.TxType.MANDATORY)
    void write(@Observes FeeChangeApplied change) {
        BillingAddress address = queries.billingAddress(change.tenantId()).orElse(null);
        if (address == null) {
            LOG.infof("Tenant %s changed its basic fee but has no billing address to notify", change.tenantId());
            return;
        }
        Catalog.BasicFeePlan plan = catalog.basicFee(change.newPlan()).orElseThrow();
        String oldName = catalog.basicFee(change.oldPlan()).map(Catalog.BasicFeePlan::name).orElse(change.oldPlan());
        Notification notice = new Notification();
        notice.tenantId = change.tenantId();
        notice.causeEventId = change.causeEventId();
        notice.recipient = address.email;
        notice.subject = "Your basic fee is now " + plan.name();
        notice.body = """
                Hello %s,

                the basic fee for hosting your mailboxes has been changed from %s to %s.

                %s: %s %s net per month (plus VAT). %s
                The basic fee applies to all mailboxes of your system, including all clients.
                Provider support: %s.

                Your contract has been updated; you can see it and its revisions in the admin console.

                Your mailops billing team
                """.formatted(address.company, oldName, plan.name(), plan.name(), plan.monthlyNetPrice(),
                catalog.currency(), plan.description(), plan.providerSupport() ? "included" : "not included");
        notice.createdAt = Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
        database.update("""
                INSERT INTO notification (tenant_id, cause_event_id, recipient, subject, body, created_at, attempts)
                VALUES (?, ?, ?, ?, ?, ?, 0)""", notice.tenantId, notice.causeEventId, notice.recipient, notice.subject,
                notice.body, notice.createdAt);
    }
}
