package dev.mailops.mailbox.query;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.mailops.kit.jdbc.Database;

/**
 * The DKIM read models: the keys of a domain for the API, and the key keeper's agenda. The keeper
 * only ever reads domains whose step is due (an index on {@code next_step_at}), never all of them.
 */
@ApplicationScoped
public class DkimQueries {

    /** Due now, or signing with the same selector since before the rotation time (the epoch: never). */
    private static final String DUE = "(next_step_at <= ? or activated_at <= ?)";

    @Inject
    Database database;

    public Optional<DkimDomainView> domain(String domain) {
        return database.first("select " + DkimDomainView.COLUMNS + " from dkim_domain where domain = ?",
                DkimDomainView::read, domain);
    }

    /** The domain's current keys, by selector. */
    public List<DkimKeyView> keys(String domain) {
        return database.list("select " + DkimKeyView.COLUMNS + " from dkim_key where domain = ? order by selector",
                DkimKeyView::read, domain);
    }

    /**
     * Domains with a step due at {@code now}, at most {@code limit}, longest waiting first; also those
     * whose selector has signed since before {@code activatedBefore} (a scheduled rotation), when given.
     */
    public List<String> due(Instant now, Optional<Instant> activatedBefore, int limit) {
        return database.list("select domain from dkim_domain where " + DUE
                + " order by coalesce(next_step_at, activated_at) limit ?", row -> row.getString(1),
                now, activatedBefore.orElse(Instant.EPOCH), limit);
    }

    /**
     * Locks the domain's agenda row for the step if it is still due and no other instance is taking a
     * step for it; false otherwise (the caller leaves the domain to the instance that holds it).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean lockIfDue(String domain, Instant now, Optional<Instant> activatedBefore) {
        return !database.list("select domain from dkim_domain where " + DUE + " and domain = ? for update skip locked",
                row -> row.getString(1), now, activatedBefore.orElse(Instant.EPOCH), domain).isEmpty();
    }

    /**
     * Locks the domain's agenda row, waiting for a keeper step that holds it: the keeper locks it before
     * it appends to the domain's stream, so taking it first too keeps the two from deadlocking.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lock(String domain) {
        database.list("select domain from dkim_domain where domain = ? for update", row -> row.getString(1), domain);
    }

    /** Sets when the domain next needs a step; empty when nothing is pending. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void schedule(String domain, Optional<Instant> nextStepAt) {
        database.update("update dkim_domain set next_step_at = ? where domain = ?", nextStepAt.orElse(null), domain);
    }
}
