package dev.mailops.billing.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Keeps live consumption and a replay apart, across all instances: every live transaction holds the
 * lock shared, a replay holds it exclusively for its whole run, so live events wait until the
 * rebuilt contracts are complete and are then recognised as already applied or applied on top.
 */
@ApplicationScoped
public class ReplayLock {

    static final long KEY = 0x62696c6c696e67L;

    @Inject
    EntityManager entityManager;

    @Transactional(Transactional.TxType.MANDATORY)
    public void holdSharedForTransaction() {
        entityManager.createNativeQuery("select pg_advisory_xact_lock_shared(?1)").setParameter(1, KEY)
                .getSingleResult();
    }
}
