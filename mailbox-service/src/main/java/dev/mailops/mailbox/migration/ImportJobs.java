package dev.mailops.mailbox.migration;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.kit.jdbc.Database;
import dev.mailops.mailbox.command.ImportMailbox;
import dev.mailops.mailbox.command.ImportOutcome;
import dev.mailops.mailbox.domain.FieldViolation;

/**
 * The import jobs and their lines in PostgreSQL ({@code import_job}, {@code import_line}): created with all
 * their lines in one statement, claimed under a lease, worked through line by line, read back per tenant.
 */
@ApplicationScoped
public class ImportJobs {

    /** A job as stored; {@code state} is queued, running or finished. */
    public record Job(UUID id, String tenantId, String createdBy, String state, int totalLines, Instant createdAt,
            Instant startedAt, Instant finishedAt) {
    }

    /** A line still to import. */
    public record PendingLine(int number, ImportMailbox mailbox) {
    }

    /** A line's result: created, unchanged, failed (with its errors per field) or still pending. */
    public record LineResult(int line, String address, String outcome, UUID mailboxId, List<FieldViolation> errors) {
    }

    /** A line to store: its number, its address (as entered), its mailbox with a hash instead of a password. */
    public record NewLine(int line, String address, ImportMailbox mailbox) {
    }

    @Inject
    Database database;
    @Inject
    ObjectMapper json;

    @Transactional(Transactional.TxType.MANDATORY)
    public void create(UUID jobId, String tenantId, String createdBy, List<NewLine> lines, Instant now) {
        database.update("insert into import_job (job_id, tenant_id, created_by, state, total_lines, created_at)"
                + " values (?, ?, ?, 'queued', ?, ?)", jobId, tenantId, createdBy, lines.size(), now);
        database.update("insert into import_line (job_id, line_no, address, mailbox)"
                + " select ?, (line->>'line')::integer, line->>'address', line->'mailbox'"
                + " from jsonb_array_elements(cast(? as jsonb)) line", jobId, toJson(lines));
    }

    /**
     * Takes the oldest open job that no live instance holds (never claimed, or its lease ran out) and leases it
     * to {@code owner} until {@code leaseUntil}; empty when there is none. Of several instances asking at once,
     * each gets a different job or none (SKIP LOCKED).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Job> claimNext(String owner, Instant now, Instant leaseUntil) {
        return database.first("update import_job set lease_owner = ?, lease_until = ?,"
                + " state = 'running', started_at = coalesce(started_at, ?)"
                + " where job_id = (select job_id from import_job where state <> 'finished'"
                + " and (lease_until is null or lease_until < ?) order by created_at limit 1 for update skip locked)"
                + " returning job_id", row -> row.getObject(1, UUID.class), owner, leaseUntil, now, now)
                .map(id -> job(id).orElseThrow());
    }

    /** Extends the lease while {@code owner} still holds it; false when another instance took the job over. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean renew(UUID jobId, String owner, Instant leaseUntil) {
        return database.update("update import_job set lease_until = ? where job_id = ?"
                + " and lease_owner = ? and state = 'running'", leaseUntil, jobId, owner) == 1;
    }

    /** The next pending lines, in file order. */
    public List<PendingLine> pendingLines(UUID jobId, int limit) {
        return database.list("select line_no, cast(mailbox as text) from import_line"
                + " where job_id = ? and outcome = 'pending' order by line_no limit ?",
                row -> new PendingLine(row.getInt(1), fromJson(row.getString(2), new TypeReference<ImportMailbox>() {
                })), jobId, limit);
    }

    /**
     * Records a pending line's outcome and drops the hash from the stored line; fails (rolling back the
     * transaction that wrote the mailbox) when the line was done already, by an instance that held the job before.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordOutcome(UUID jobId, int line, ImportOutcome outcome) {
        int updated = database.update("update import_line set outcome = ?, mailbox_id = ?,"
                + " mailbox = mailbox - 'passwordHash' - 'password' where job_id = ? and line_no = ? and outcome = 'pending'",
                outcome.kind().name().toLowerCase(java.util.Locale.ROOT), outcome.mailboxId(), jobId, line);
        if (updated != 1) {
            throw new LineDoneBefore("Line " + line + " of import " + jobId + " was done already");
        }
    }

    /** The line had its outcome already, from an instance that held the job before: the caller's transaction must roll back. */
    public static final class LineDoneBefore extends RuntimeException {
        LineDoneBefore(String message) {
            super(message);
        }
    }

    /** Counts a try of a pending line and returns how many it has had, this one included. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int countTry(UUID jobId, int line) {
        return database.first("update import_line set tries = tries + 1"
                + " where job_id = ? and line_no = ? and outcome = 'pending' returning tries", row -> row.getInt(1),
                jobId, line).orElseThrow(() -> new IllegalStateException("Line " + line + " of import " + jobId + " is not pending"));
    }

    /** Gives the job up until {@code until}, when any instance (this one too) may take it again. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void pause(UUID jobId, String owner, Instant until) {
        database.update("update import_job set lease_owner = null, lease_until = ? where job_id = ? and lease_owner = ?",
                until, jobId, owner);
    }

    /** Records that a pending line broke a rule, and drops its hash. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordFailure(UUID jobId, int line, List<FieldViolation> errors) {
        database.update("update import_line set outcome = 'failed', errors = cast(? as jsonb),"
                + " mailbox = mailbox - 'passwordHash' - 'password' where job_id = ? and line_no = ? and outcome = 'pending'",
                toJson(errors), jobId, line);
    }

    /** Ends the job when {@code owner} holds it and no line is pending; false otherwise. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean finish(UUID jobId, String owner, Instant now) {
        return database.update("update import_job set state = 'finished', finished_at = ?,"
                + " lease_owner = null, lease_until = null where job_id = ? and lease_owner = ? and not exists"
                + " (select 1 from import_line where job_id = ? and outcome = 'pending')", now, jobId, owner, jobId) == 1;
    }

    /** The tenant's job; another tenant's is not found. */
    public Optional<Job> job(String tenantId, UUID jobId) {
        return job(jobId).filter(job -> job.tenantId().equals(tenantId));
    }

    private Optional<Job> job(UUID jobId) {
        return database.first("select job_id, tenant_id, created_by, state, total_lines, created_at, started_at,"
                + " finished_at from import_job where job_id = ?", row -> new Job(row.getObject(1, UUID.class),
                row.getString(2), row.getString(3), row.getString(4), row.getInt(5), Database.instant(row, 6),
                Database.instant(row, 7), Database.instant(row, 8)), jobId);
    }

    /** How many lines of the job have each outcome (pending, created, unchanged, failed). */
    public Map<String, Long> counts(UUID jobId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String outcome : List.of("pending", "created", "unchanged", "failed")) {
            counts.put(outcome, 0L);
        }
        database.list("select outcome, count(*) from import_line where job_id = ? group by outcome",
                row -> counts.put(row.getString(1), row.getLong(2)), jobId);
        return counts;
    }

    /** Every line's result, in file order. */
    public List<LineResult> results(UUID jobId) {
        return database.list("select line_no, address, outcome, mailbox_id, cast(errors as text) from import_line"
                + " where job_id = ? order by line_no", row -> new LineResult(row.getInt(1), row.getString(2),
                row.getString(3), row.getObject(4, UUID.class), row.getString(5) == null ? List.of()
                        : fromJson(row.getString(5), new TypeReference<List<FieldViolation>>() {
                        })), jobId);
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot store the import", e);
        }
    }

    private <T> T fromJson(String value, TypeReference<T> type) {
        try {
            return json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An import line is not readable", e);
        }
    }
}
