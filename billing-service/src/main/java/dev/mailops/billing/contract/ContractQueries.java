package dev.mailops.billing.contract;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** Reads of a tenant's contract; every query is scoped to one tenant. */
@ApplicationScoped
public class ContractQueries {

    @Inject
    EntityManager entityManager;

    public Optional<Contract> contract(String tenantId) {
        return Optional.ofNullable(entityManager.find(Contract.class, tenantId));
    }

    public List<ContractLine> activeLines(String tenantId) {
        return entityManager.createQuery(
                "from ContractLine l where l.tenantId = :tenant and l.endsAt is null order by l.address", ContractLine.class)
                .setParameter("tenant", tenantId)
                .getResultList();
    }

    /** Lines that were active at some point in [from, until); a mailbox's lines in the order of their rates. */
    public List<ContractLine> linesOverlapping(String tenantId, java.time.Instant from, java.time.Instant until) {
        return entityManager.createQuery("""
                from ContractLine l where l.tenantId = :tenant and l.startsAt < :until
                and (l.endsAt is null or l.endsAt >= :from) order by l.address, l.startsAt, l.id""", ContractLine.class)
                .setParameter("tenant", tenantId)
                .setParameter("from", from)
                .setParameter("until", until)
                .getResultList();
    }

    public List<BasicFeePeriod> periodsOverlapping(String tenantId, java.time.Instant from, java.time.Instant until) {
        return entityManager.createQuery("""
                from BasicFeePeriod p where p.tenantId = :tenant and p.startsAt < :until
                and (p.endsAt is null or p.endsAt >= :from) order by p.startsAt""", BasicFeePeriod.class)
                .setParameter("tenant", tenantId)
                .setParameter("from", from)
                .setParameter("until", until)
                .getResultList();
    }

    public Optional<BasicFeePeriod> currentPeriod(String tenantId) {
        return entityManager.createQuery(
                "from BasicFeePeriod p where p.tenantId = :tenant and p.endsAt is null", BasicFeePeriod.class)
                .setParameter("tenant", tenantId)
                .getResultStream().findFirst();
    }

    public List<ContractRevision> revisions(String tenantId, int page, int size) {
        return entityManager.createQuery(
                "from ContractRevision r where r.tenantId = :tenant order by r.revision desc", ContractRevision.class)
                .setParameter("tenant", tenantId)
                .setFirstResult(page * size)
                .setMaxResults(size)
                .getResultList();
    }

    public Optional<BillingAddress> billingAddress(String tenantId) {
        return Optional.ofNullable(entityManager.find(BillingAddress.class, tenantId));
    }
}
