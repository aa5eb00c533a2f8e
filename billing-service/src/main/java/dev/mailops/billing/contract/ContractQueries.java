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

    /**
     * Up to {@code limit} of the tenant's open lines after the line of {@code afterAddress} and
     * {@code afterMailbox} (empty and null: from the first), by address: a page of the contract's mailboxes.
     */
    public List<ContractLine> activeLinesAfter(String tenantId, String afterAddress, UUID afterMailbox, int limit) {
        return entityManager.createQuery("""
                from ContractLine l where l.tenantId = :tenant and l.endsAt is null
                and (l.address > :address or (l.address = :address and l.mailboxId > :mailbox))
                order by l.address, l.mailboxId""", ContractLine.class)
                .setParameter("tenant", tenantId)
                .setParameter("address", afterAddress)
                .setParameter("mailbox", afterMailbox == null ? new UUID(0, 0) : afterMailbox)
                .setMaxResults(limit)
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
