package dev.mailops.mailhost.removal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import dev.mailops.kit.jdbc.Database;
import dev.mailops.mailhost.removal.rules.RetrySchedule;

/**
 * Removes the mail of deleted mailboxes (the rows of {@code mail_removal} not yet removed) through
 * {@link Doveadm}, the claimed ones in one batch: in a round right after a MailboxDeleted is applied, and in a scheduled round that
 * retries failures with growing delays. A removal is claimed for a while before the call, so that
 * several instances never work on the same one at once; a removal that succeeds marks every pending
 * removal of its address done (the mail at that home is gone), which lets a mailbox created again at
 * the address appear on the mail host.
 */
@ApplicationScoped
public class MailRemovals {

    private static final Logger LOG = Logger.getLogger(MailRemovals.class);
    private static final int CLAIM = 10;

    record Due(UUID mailboxId, String address, int attempts) {
    }

    @Inject
    Database database;
    @Inject
    Doveadm doveadm;
    @Inject
    Clock clock;
    @Inject
    ManagedExecutor executor;
    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "mailhost.removal.enabled")
    boolean enabled;
    @ConfigProperty(name = "mailhost.removal.first-retry")
    Duration firstRetry;
    @ConfigProperty(name = "mailhost.removal.longest-retry")
    Duration longestRetry;
    @ConfigProperty(name = "mailhost.removal.claim")
    Duration claim;

    private RetrySchedule retries;
    private final AtomicBoolean working = new AtomicBoolean();

    @PostConstruct
    void init() {
        retries = new RetrySchedule(firstRetry, longestRetry);
        if (enabled && !doveadm.configured()) {
            LOG.warn("mailhost.doveadm.api-key-file is not set: deleted mailboxes' mail is not removed until it is");
        }
    }

    @Scheduled(identity = "mail-removal", every = "${mailhost.removal.interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        removeDue();
    }

    /** Starts a round soon, off the caller's thread (a MailboxDeleted was just applied). */
    public void wake() {
        if (enabled) {
            executor.execute(this::removeDue);
        }
    }

    /** Removes the mail of every removal that is due; returns how many removals it finished. */
    public int removeDue() {
        if (!enabled || !doveadm.configured() || !working.compareAndSet(false, true)) {
            return 0;
        }
        int finished = 0;
        try {
            for (List<Due> due = claimDue(); !due.isEmpty(); due = claimDue()) {
                finished += remove(due);
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "A round of mail removals stopped; the next round goes on");
        } finally {
            working.set(false);
        }
        return finished;
    }

    /** Removes the claimed removals' mail in one batch of doveadm calls; returns how many removals it finished. */
    private int remove(List<Due> due) {
        List<String> addresses = due.stream().map(Due::address).distinct().toList();
        Map<String, String> failures;
        try {
            failures = doveadm.removeAllMail(addresses);
        } catch (Doveadm.DoveadmException e) {
            failures = addresses.stream().collect(Collectors.toMap(address -> address, address -> e.getMessage()));
        }
        int finished = 0;
        for (Due removal : due) {
            String failure = failures.get(removal.address());
            if (failure == null) {
                finished += removed(removal);
            } else {
                failed(removal, failure);
            }
        }
        return finished;
    }

    private void failed(Due removal, String reason) {
        int failures = removal.attempts() + 1;
        Instant next = retries.nextAttempt(failures, now());
        LOG.warnf("Could not remove the mail of %s (deleted mailbox %s, attempt %d): %s; next attempt at %s",
                removal.address(), removal.mailboxId(), failures, reason, next);
        meters.counter("mailhost.removals", "outcome", "failed").increment();
        QuarkusTransaction.requiringNew().run(() -> database.update("""
                update mail_removal set attempts = ?, next_attempt_at = ?, last_error = ?
                 where mailbox_id = ? and removed_at is null""", failures, next, reason, removal.mailboxId()));
    }

    /** Marks every pending removal of the address done: the mail at that home is gone. */
    private int removed(Due removal) {
        int done = QuarkusTransaction.requiringNew().call(() -> database.update("""
                update mail_removal set removed_at = ?, attempts = attempts + 1, last_error = null
                 where address = ? and removed_at is null""", now(), removal.address()));
        if (done > 0) {
            LOG.infof("Removed the mail of %s (deleted mailbox %s)", removal.address(), removal.mailboxId());
            meters.counter("mailhost.removals", "outcome", "removed").increment(done);
        }
        return done;
    }

    /** The next due removals, claimed (their next attempt moved past the claim) in one transaction. */
    private List<Due> claimDue() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = now();
            List<Due> due = database.list("""
                    select mailbox_id, address, attempts from mail_removal
                     where removed_at is null and next_attempt_at <= ?
                     order by requested_at limit ? for update skip locked""",
                    row -> new Due(row.getObject(1, UUID.class), row.getString(2), row.getInt(3)), now, CLAIM);
            database.batch("update mail_removal set next_attempt_at = ? where mailbox_id = ?",
                    due.stream().map(removal -> new Object[] {now.plus(claim), removal.mailboxId()}).toList());
            return due;
        });
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
