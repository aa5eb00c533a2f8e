package dev.mailops.billing.notification;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import dev.mailops.consumer.FailureClassifier;
import dev.mailops.kit.jdbc.Database;

/**
 * Sends notices after the transaction that wrote them committed, and again on a schedule while the
 * mail server refuses them. Each send locks its row (SKIP LOCKED), so instances never send one
 * notice twice at the same time; a notice is marked sent only after the server accepted it.
 * <p>
 * A notice the server refuses (that recipient, that message) is tried again after a backoff that
 * doubles from {@code billing.mail.retry-interval}, at most {@code billing.mail.max-attempts} times,
 * then marked failed (counted in {@code billing.notices.failed}); the other notices are sent meanwhile.
 * While the server cannot be reached at all, or does not answer in time, nothing is counted against any
 * notice: they wait for it.
 */
@ApplicationScoped
public class NoticeSender {

    private static final Logger LOG = Logger.getLogger(NoticeSender.class);
    private static final int MAX_ERROR = 500;

    @Inject
    Mailer mailer;

    @Inject
    Database database;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "billing.mail.message-id-domain", defaultValue = "billing.mailops.local")
    String messageIdDomain;

    @ConfigProperty(name = "billing.mail.retry-interval", defaultValue = "60s")
    Duration retryInterval;

    @ConfigProperty(name = "billing.mail.max-attempts", defaultValue = "5")
    int maxAttempts;

    /** What became of an attempt to send a notice. */
    public enum Outcome {
        /** Sent now, or nothing to send: already sent, failed for good, not due yet, or another instance has it. */
        DONE,
        /** The server refused this notice; it is tried again later or, after its last attempt, marked failed. */
        REFUSED,
        /** The server could not be reached: nothing was counted against the notice. */
        SERVER_AWAY
    }

    /** Sends the notice caused by the event if it is unsent, not failed and due. */
    public Outcome sendFor(UUID causeEventId) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                Instant now = Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
                Optional<Notification> due = database.first("SELECT " + Notification.COLUMNS + """
                         FROM notification WHERE cause_event_id = ? AND sent_at IS NULL AND failed_at IS NULL
                        AND (next_attempt_at IS NULL OR next_attempt_at <= ?) FOR UPDATE SKIP LOCKED""",
                        Notification::read, causeEventId, now);
                if (due.isEmpty()) {
                    return Outcome.DONE;
                }
                Notification notice = due.get();
                try {
                    deliver(notice);
                    meters.counter("billing.notices.sent").increment();
                    return Outcome.DONE;
                } catch (RuntimeException e) {
                    return refused(notice, e, now);
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not send the notice for event %s; the schedule retries it", causeEventId);
            return Outcome.SERVER_AWAY;
        }
    }

    @Scheduled(identity = "notice-retry", every = "${billing.mail.retry-interval:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sendUnsent() {
        List<UUID> due = QuarkusTransaction.requiringNew().call(() -> database.list("""
                SELECT cause_event_id FROM notification WHERE sent_at IS NULL AND failed_at IS NULL
                AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY created_at LIMIT 100""",
                row -> row.getObject(1, UUID.class), Instant.now(clock)));
        for (UUID causeEventId : due) {
            if (sendFor(causeEventId) == Outcome.SERVER_AWAY) {
                return; // the others would only wait for it too
            }
        }
    }

    private Outcome refused(Notification notice, RuntimeException error, Instant now) {
        if (serverAway(error)) {
            LOG.warnf("Could not reach the mail server for the notice of event %s (%s); the schedule retries it",
                    notice.causeEventId, error.getClass().getSimpleName());
            return Outcome.SERVER_AWAY;
        }
        notice.attempts++;
        notice.lastError = describe(error);
        if (notice.attempts >= maxAttempts) {
            notice.failedAt = now;
            meters.counter("billing.notices.failed").increment();
            LOG.errorf("The notice of event %s to tenant %s failed %d times and is given up: %s", notice.causeEventId,
                    notice.tenantId, notice.attempts, notice.lastError);
        } else {
            notice.nextAttemptAt = now.plus(retryInterval.multipliedBy(1L << Math.min(notice.attempts - 1, 10)));
            LOG.warnf("The mail server refused the notice of event %s (attempt %d of %d, next at %s): %s",
                    notice.causeEventId, notice.attempts, maxAttempts, notice.nextAttemptAt, notice.lastError);
        }
        database.update("UPDATE notification SET attempts = ?, last_error = ?, failed_at = ?, next_attempt_at = ? "
                + "WHERE id = ?", notice.attempts, notice.lastError, notice.failedAt, notice.nextAttemptAt, notice.id);
        return Outcome.REFUSED;
    }

    /**
     * The server cannot be reached, or did not answer within quarkus.mailer.timeout: no fault of this
     * notice. The blocking mailer reports its timeout as Mutiny's TimeoutException, which is not the JDK's.
     */
    static boolean serverAway(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException || cause instanceof io.smallrye.mutiny.TimeoutException) {
                return true;
            }
        }
        return FailureClassifier.isTransient(error);
    }

    /** The innermost error's class and the first line of its message (an SMTP reply), cut short. */
    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : root.getMessage().lines().findFirst().orElse("").strip();
        String described = root.getClass().getName() + (message.isEmpty() ? "" : ": " + message);
        return described.length() > MAX_ERROR ? described.substring(0, MAX_ERROR) : described;
    }

    private void deliver(Notification notice) {
        mailer.send(Mail.withText(notice.recipient, notice.subject, notice.body)
                .addHeader("Message-ID", "<" + notice.causeEventId + "@" + messageIdDomain + ">"));
        notice.sentAt = Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
        database.update("UPDATE notification SET sent_at = ? WHERE id = ?", notice.sentAt, notice.id);
    }
}
