package dev.mailops.mailbox.migration;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

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
    EntityManager entityManager;
    @Inject
    ObjectMapper json;

    @Transactional(Transactional.TxType.MANDATORY)
    public void create(UUID jobId, String tenantId, String createdBy, List<NewLine> lines, Instant now) {
        entityManager.createNativeQuery("insert into import_job (job_id, tenant_id, created_by, state, total_lines, created_at)"
                + " values (?1, ?2, ?3, 'queued', ?4, ?5)")
                .setParameter(1, jobId).setParameter(2, tenantId).setParameter(3, createdBy)
                .setParameter(4, lines.size()).setParameter(5, Timestamp.from(now)).executeUpdate();
        entityManager.createNativeQuery("insert into import_line (job_id, line_no, address, mailbox)"
                + " select ?1, (line->>'line')::integer, line->>'address', line->'mailbox'"
                + " from jsonb_array_elements(cast(?2 as jsonb)) line")
                .setParameter(1, jobId).setParameter(2, toJson(lines)).executeUpdate();
    }

    /**
     * Takes the oldest open job that no live instance holds (never claimed, or its lease ran out) and leases it
     * to {@code owner} until {@code leaseUntil}; empty when there is none. Of several instances asking at once,
     * each gets a different job or none (SKIP LOCKED).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Job> claimNext(String owner, Instant now, Instant leaseUntil) {
        List<?> claimed = entityManager.createNativeQuery("update import_job set lease_owner = ?1, lease_until = ?2,"
                + " state = 'running', started_at = coalesce(started_at, ?3)"
                + " where job_id = (select job_id from import_job where state <> 'finished'"
                + " and (lease_until is null or lease_until < ?3) order by created_at limit 1 for update skip locked)"
                + " returning job_id")
                .setParameter(1, owner).setParameter(2, Timestamp.from(leaseUntil)).setParameter(3, Timestamp.from(now))
                .getResultList();
        return claimed.stream().findFirst().map(id -> job((UUID) id).orElseThrow());
    }

    /** Extends the lease while {@code owner} still holds it; false when another instance took the job over. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean renew(UUID jobId, String owner, Instant leaseUntil) {
        return entityManager.createNativeQuery("update import_job set lease_until = ?3 where job_id = ?1"
                + " and lease_owner = ?2 and state = 'running'")
                .setParameter(1, jobId).setParameter(2, owner).setParameter(3, Timestamp.from(leaseUntil))
                .executeUpdate() == 1;
    }

    /** The next pending lines, in file order. */
    public List<PendingLine> pendingLines(UUID jobId, int limit) {
        List<Object[]> rows = rows(entityManager.createNativeQuery("select line_no, cast(mailbox as text) from import_line"
                + " where job_id = ?1 and outcome = 'pending' order by line_no")
                .setParameter(1, jobId).setMaxResults(limit).getResultList());
        return rows.stream().map(row -> new PendingLine((Integer) row[0], fromJson((String) row[1],
                new TypeReference<ImportMailbox>() {
                }))).toList();
    }

    /**
     * Records a pending line's outcome and drops the hash from the stored line; fails (rolling back the
     * transaction that wrote the mailbox) when the line was done already, by an instance that held the job before.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordOutcome(UUID jobId, int line, ImportOutcome outcome) {
        int updated = entityManager.createNativeQuery("update import_line set outcome = ?3, mailbox_id = ?4,"
                + " mailbox = mailbox - 'passwordHash' - 'password' where job_id = ?1 and line_no = ?2 and outcome = 'pending'")
                .setParameter(1, jobId).setParameter(2, line)
                .setParameter(3, outcome.kind().name().toLowerCase(java.util.Locale.ROOT))
                .setParameter(4, outcome.mailboxId()).executeUpdate();
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
        return ((Number) entityManager.createNativeQuery("update import_line set tries = tries + 1"
                + " where job_id = ?1 and line_no = ?2 and outcome = 'pending' returning tries")
                .setParameter(1, jobId).setParameter(2, line).getSingleResult()).intValue();
    }

    /** Gives the job up until {@code until}, when any instance (this one too) may take it again. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void pause(UUID jobId, String owner, Instant until) {
        entityManager.createNativeQuery("update import_job set lease_owner = null, lease_until = ?3"
                + " where job_id = ?1 and lease_owner = ?2")
                .setParameter(1, jobId).setParameter(2, owner).setParameter(3, Timestamp.from(until)).executeUpdate();
    }

    /** Records that a pending line broke a rule, and drops its hash. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordFailure(UUID jobId, int line, List<FieldViolation> errors) {
        entityManager.createNativeQuery("update import_line set outcome = 'failed', errors = cast(?3 as jsonb),"
                + " mailbox = mailbox - 'passwordHash' - 'password' where job_id = ?1 and line_no = ?2 and outcome = 'pending'")
                .setParameter(1, jobId).setParameter(2, line).setParameter(3, toJson(errors)).executeUpdate();
    }

    /** Ends the job when {@code owner} holds it and no line is pending; false otherwise. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean finish(UUID jobId, String owner, Instant now) {
        return entityManager.createNativeQuery("update import_job set state = 'finished', finished_at = ?3,"
                + " lease_owner = null, lease_until = null where job_id = ?1 and lease_owner = ?2 and not exists"
                + " (select 1 from import_line where job_id = ?1 and outcome = 'pending')")
                .setParameter(1, jobId).setParameter(2, owner).setParameter(3, Timestamp.from(now)).executeUpdate() == 1;
    }

    /** The tenant's job; another tenant's is not found. */
    public Optional<Job> job(String tenantId, UUID jobId) {
        return job(jobId).filter(job -> job.tenantId().equals(tenantId));
    }

    private Optional<Job> job(UUID jobId) {
        List<Object[]> rows = rows(entityManager.createNativeQuery("select job_id, tenant_id, created_by, state, total_lines,"
                + " created_at, started_at, finished_at from import_job where job_id = ?1")
                .setParameter(1, jobId).getResultList());
        return rows.stream().findFirst().map(row -> new Job((UUID) row[0], (String) row[1], (String) row[2],
                (String) row[3], (Integer) row[4], instant(row[5]), instant(row[6]), instant(row[7])));
    }

    /** How many lines of the job have each outcome (pending, created, unchanged, failed). */
    public Map<String, Long> counts(UUID jobId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String outcome : List.of("pending", "created", "unchanged", "failed")) {
            counts.put(outcome, 0L);
        }
        List<Object[]> rows = rows(entityManager.createNativeQuery(
                "select outcome, count(*) from import_line where job_id = ?1 group by outcome")
                .setParameter(1, jobId).getResultList());
        rows.forEach(row -> counts.put((String) row[0], ((Number) row[1]).longValue()));
        return counts;
    }

    /** Every line's result, in file order. */
    public List<LineResult> results(UUID jobId) {
        List<Object[]> rows = rows(entityManager.createNativeQuery("select line_no, address, outcome, mailbox_id,"
                + " cast(errors as text) from import_line where job_id = ?1 order by line_no")
                .setParameter(1, jobId).getResultList());
        List<LineResult> results = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            List<FieldViolation> errors = row[4] == null ? List.of()
                    : fromJson((String) row[4], new TypeReference<List<FieldViolation>>() {
                    });
            results.add(new LineResult((Integer) row[0], (String) row[1], (String) row[2], (UUID) row[3], errors));
        }
        return results;
    }

    @SuppressWarnings("unchecked")
    private static List<Object[]> rows(List<?> result) {
        return (List<Object[]>) result;
    }

    private static Instant instant(Object value) {
        return value == null ? null : value instanceof Instant instant ? instant
                : value instanceof java.time.OffsetDateTime offset ? offset.toInstant() : ((Timestamp) value).toInstant();
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
