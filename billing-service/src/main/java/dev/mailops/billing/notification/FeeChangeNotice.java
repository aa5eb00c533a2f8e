package dev.mailops.billing.notification;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.mailops.billing.catalog.Catalog;
import dev.mailops.billing.contract.BillingAddress;
import dev.mailops.billing.events.MailboxEvents.FeeChanged;
import dev.mailops.consumer.CloudEvent;

/**
 * The manual: after a change of basic fee "mailbox.org will send you an email with additional
 * information". The email is written in the transaction that applies the change and sent after it.
 */
@ApplicationScoped
public class FeeChangeNotice {

    private static final Logger LOG = Logger.getLogger(FeeChangeNotice.class);

    @Inject
    EntityManager entityManager;

    @Inject
    Catalog catalog;

    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Notification> write(CloudEvent event, FeeChanged change) {
        BillingAddress address = entityManager.find(BillingAddress.class, event.tenantId());
        if (address == null) {
            LOG.infof("Tenant %s changed its basic fee but has no billing address to notify", event.tenantId());
            return Optional.empty();
        }
        Catalog.BasicFeePlan plan = catalog.basicFee(change.newPlan()).orElseThrow();
        String oldName = catalog.basicFee(change.oldPlan()).map(Catalog.BasicFeePlan::name).orElse(change.oldPlan());
        Notification notice = new Notification();
        notice.tenantId = event.tenantId();
        notice.causeEventId = event.id();
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
        notice.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        entityManager.persist(notice);
        return Optional.of(notice);
    }
}
