package dev.mailops.mailbox.migration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import dev.mailops.mailbox.command.MailboxCommands;
import dev.mailops.mailbox.domain.FieldViolation;
import dev.mailops.mailbox.domain.InvalidFields;
import dev.mailops.mailbox.domain.NotFound;
import dev.mailops.mailbox.domain.RuleViolation;
import dev.mailops.mailbox.store.EventMetadata;

/**
 * Works through the import jobs: takes an open job under a lease, imports its pending lines one by one
 * through {@link MailboxCommands#importMailbox} (so each line is decided and recorded as an API call would be,
 * its outcome written in the transaction that wrote the mailbox), renews the lease between batches, and
 * finishes the job when no line is pending. An instance that dies leaves its lease to run out; another then
 * takes the job over and carries on with the lines still pending, so no line is imported twice.
 */
@ApplicationScoped
public class ImportWorker {

    private static final Logger LOG = Logger.getLogger(ImportWorker.class);
    /** This instance, as the lease names it. */
    static final String INSTANCE = "mailbox-service-" + UUID.randomUUID();

    @Inject
    ImportJobs jobs;
    @Inject
    MailboxCommands commands;
    @Inject
    Clock clock;

    @ConfigProperty(name = "mailbox.import.lease", defaultValue = "PT30S")
    Duration lease;
    @ConfigProperty(name = "mailbox.import.batch-size", defaultValue = "50")
    int batchSize;
    @ConfigProperty(name = "mailbox.import.max-tries", defaultValue = "5")
    int maxTries;
    @ConfigProperty(name = "mailbox.import.retry-interval", defaultValue = "1s")
    Duration retryInterval;

    @Scheduled(identity = "import-jobs", every = "${mailbox.import.interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void workOnJobs() {
        while (runNextJob()) {
            // the next open job, if any
        }
    }

    /** Works one open job as far as this instance holds it; false when no job was open. */
    boolean runNextJob() {
        Instant now = clock.instant();
        Optional<ImportJobs.Job> claimed = QuarkusTransaction.requiringNew()
                .call(() -> jobs.claimNext(INSTANCE, now, now.plus(lease)));
        if (claimed.isEmpty()) {
            return false;
        }
        ImportJobs.Job job = claimed.get();
        EventMetadata metadata = new EventMetadata(job.tenantId(), job.createdBy(), "import:" + job.id());
        while (QuarkusTransaction.requiringNew().call(() -> jobs.renew(job.id(), INSTANCE, clock.instant().plus(lease)))) {
            List<ImportJobs.PendingLine> lines = QuarkusTransaction.requiringNew()
                    .call(() -> jobs.pendingLines(job.id(), batchSize));
            if (lines.isEmpty()) {
                if (QuarkusTransaction.requiringNew().call(() -> jobs.finish(job.id(), INSTANCE, clock.instant()))) {
                    Map<String, Long> counts = QuarkusTransaction.requiringNew().call(() -> jobs.counts(job.id()));
                    LOG.infof("Import %s of tenant %s finished: %s", job.id(), job.tenantId(), counts);
                }
                return true;
            }
            // A batch that stopped at a line failing for a reason of the service's own starts with that line
            // again; a line's tries are counted as it fails and as it starts a batch (an instance killed while
            // importing it counts too), so that it ends failed rather than holding the job for ever.
            ImportJobs.PendingLine first = lines.get(0);
            int tries = QuarkusTransaction.requiringNew().call(() -> jobs.countTry(job.id(), first.number()));
            if (tries > maxTries) {
                List<FieldViolation> gaveUp = List.of(new FieldViolation("line", "could not be imported: it failed "
                        + maxTries + " times for a reason of the service, not of the line; import it again later"));
                QuarkusTransaction.requiringNew().run(() -> jobs.recordFailure(job.id(), first.number(), gaveUp));
                continue;
            }
            for (ImportJobs.PendingLine line : lines) {
                if (!importLine(job.id(), line, metadata)) {
                    int triesSoFar = line == first ? tries
                            : QuarkusTransaction.requiringNew().call(() -> jobs.countTry(job.id(), line.number()));
                    Instant retryAt = clock.instant().plus(retryInterval.multipliedBy(1L << Math.min(triesSoFar, 10)));
                    QuarkusTransaction.requiringNew().run(() -> jobs.pause(job.id(), INSTANCE, retryAt));
                    return true;
                }
            }
        }
        LOG.infof("Import %s is held by another instance now", job.id());
        return true;
    }

    /** Imports the line, or records why it broke a rule; false when it failed for a reason of the service's own. */
    private boolean importLine(UUID jobId, ImportJobs.PendingLine line, EventMetadata metadata) {
        List<FieldViolation> errors;
        try {
            commands.importMailbox(line.mailbox(), metadata, outcome -> jobs.recordOutcome(jobId, line.number(), outcome));
            return true;
        } catch (InvalidFields invalid) {
            errors = invalid.violations();
        } catch (RuleViolation | NotFound refused) {
            errors = List.of(new FieldViolation("line", refused.getMessage()));
        } catch (ImportJobs.LineDoneBefore doneBefore) {
            return true; // another instance recorded this line; nothing of this attempt was kept
        } catch (RuntimeException unexpected) {
            // The kinds only: a message may quote the line, and the line holds a password hash.
            LOG.warnf("Line %d of import %s failed (%s); the job goes on from it after a pause", line.number(), jobId,
                    causes(unexpected));
            return false;
        }
        List<FieldViolation> failure = errors;
        QuarkusTransaction.requiringNew().run(() -> jobs.recordFailure(jobId, line.number(), failure));
        return true;
    }

    private static String causes(Throwable failure) {
        StringBuilder kinds = new StringBuilder(failure.getClass().getName());
        for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            kinds.append(" <- ").append(cause.getClass().getName());
        }
        return kinds.toString();
    }
}
