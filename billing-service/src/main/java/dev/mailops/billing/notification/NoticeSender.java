package dev.mailops.billing.notification;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.LockOptions;
import org.jboss.logging.Logger;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Sends notices after the transaction that wrote them committed, and again on a schedule while the
 * mail server refuses them. Each send locks its row (SKIP LOCKED), so instances never send one
 * notice twice at the same time; a notice is marked sent only after the server accepted it.
 */
@ApplicationScoped
public class NoticeSender {

    private static final Logger LOG = Logger.getLogger(NoticeSender.class);

    @Inject
    Mailer mailer;

    @Inject
    EntityManager entityManager;

    @Inject
    Clock clock;

    @ConfigProperty(name = "billing.mail.message-id-domain", defaultValue = "billing.mailops.local")
    String messageIdDomain;

    /** Sends the notice caused by the event if it is still unsent; false when the server refused it. */
    public boolean sendFor(UUID causeEventId) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                Optional<Notification> notice = entityManager.createQuery(
                        "from Notification n where n.causeEventId = :id and n.sentAt is null", Notification.class)
                        .setParameter("id", causeEventId)
                        .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                        .setHint("jakarta.persistence.lock.timeout", LockOptions.SKIP_LOCKED)
                        .getResultStream().findFirst();
                notice.ifPresent(this::deliver);
                return true;
            });
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not send the notice for event %s; the schedule retries it", causeEventId);
            return false;
        }
    }

    @Scheduled(identity = "notice-retry", every = "${billing.mail.retry-interval:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sendUnsent() {
        List<UUID> unsent = QuarkusTransaction.requiringNew().call(() -> entityManager.createQuery(
                "select n.causeEventId from Notification n where n.sentAt is null order by n.createdAt", UUID.class)
                .setMaxResults(100)
                .getResultList());
        for (UUID causeEventId : unsent) {
            if (!sendFor(causeEventId)) {
                return;
            }
        }
    }

    private void deliver(Notification notice) {
        mailer.send(Mail.withText(notice.recipient, notice.subject, notice.body)
                .addHeader("Message-ID", "<" + notice.causeEventId + "@" + messageIdDomain + ">"));
        notice.sentAt = Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }
}
