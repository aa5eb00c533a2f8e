package dev.mailops.mailbox.query;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * The DKIM read models: the keys of a domain for the API, and the key keeper's agenda. The keeper
 * only ever reads domains whose step is due (an index on {@code next_step_at}), never all of them.
 */
@ApplicationScoped
public class DkimQueries {

    /** Due now, or signing with the same selector since before the rotation time (the epoch: never). */
    private static final String DUE = "(next_step_at <= ?1 or activated_at <= ?2)";

    @Inject
    EntityManager entityManager;

    public Optional<DkimDomainView> domain(String domain) {
        return Optional.ofNullable(entityManager.find(DkimDomainView.class, domain));
    }

    /** The domain's current keys, by selector. */
    public List<DkimKeyView> keys(String domain) {
        return entityManager.createQuery("from DkimKeyView k where k.domain = :domain order by k.selector",
                DkimKeyView.class)
                .setParameter("domain", domain)
                .getResultList();
    }

    /**
     * Domains with a step due at {@code now}, at most {@code limit}, longest waiting first; also those
     * whose selector has signed since before {@code activatedBefore} (a scheduled rotation), when given.
     */
    @SuppressWarnings("unchecked")
    public List<String> due(Instant now, Optional<Instant> activatedBefore, int limit) {
        return entityManager.createNativeQuery("select domain from dkim_domain where " + DUE
                + " order by coalesce(next_step_at, activated_at) limit ?3")
                .setParameter(1, now)
                .setParameter(2, activatedBefore.orElse(Instant.EPOCH))
                .setParameter(3, limit)
                .getResultList();
    }

    /**
     * Locks the domain's agenda row for the step if it is still due and no other instance is taking a
     * step for it; false otherwise (the caller leaves the domain to the instance that holds it).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean lockIfDue(String domain, Instant now, Optional<Instant> activatedBefore) {
        return !entityManager.createNativeQuery("select domain from dkim_domain where " + DUE
                + " and domain = ?3 for update skip locked")
                .setParameter(1, now)
                .setParameter(2, activatedBefore.orElse(Instant.EPOCH))
                .setParameter(3, domain)
                .getResultList().isEmpty();
    }

    /**
     * Locks the domain's agenda row, waiting for a keeper step that holds it: the keeper locks it before
     * it appends to the domain's stream, so taking it first too keeps the two from deadlocking.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lock(String domain) {
        entityManager.createNativeQuery("select domain from dkim_domain where domain = ?1 for update")
                .setParameter(1, domain).getResultList();
    }

    /** Sets when the domain next needs a step; empty when nothing is pending. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void schedule(String domain, Optional<Instant> nextStepAt) {
        DkimDomainView view = entityManager.find(DkimDomainView.class, domain);
        if (view != null) {
            view.nextStepAt = nextStepAt.orElse(null);
        }
    }
}
