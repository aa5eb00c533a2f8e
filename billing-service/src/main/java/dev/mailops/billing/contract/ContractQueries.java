package dev.mailops.billing.contract;

import java.time.Instant;
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
     * Up to {@code limit} of the tenant's open lines after {@code after} (null: from the first), by address:
     * a page of the contract's mailboxes. The row comparison is an index range (V6), where the same
     * condition spelt out with {@code or} filtered the tenant's lines from the first on every page.
     */
    public List<ContractLine> activeLinesAfter(String tenantId, ContractLine after, int limit) {
        return entityManager.createQuery("""
                from ContractLine l where l.tenantId = :tenant and l.endsAt is null
                and (l.address, l.mailboxId) > (:address, :mailbox)
                order by l.address, l.mailboxId""", ContractLine.class)
                .setParameter("tenant", tenantId)
                .setParameter("address", after == null ? "" : after.address)
                .setParameter("mailbox", after == null ? new UUID(0, 0) : after.mailboxId)
                .setMaxResults(limit)
                .getResultList();
    }

    /**
     * Up to {@code limit} of the tenant's lines active at some point in [from, until), after {@code after}
     * (null: from the first): a page of a statement's mailboxes, by address, a mailbox's lines in the order
     * of their rates (V7's index).
     */
    public List<ContractLine> linesOverlappingAfter(String tenantId, Instant from, Instant until, ContractLine after,
            int limit) {
        return entityManager.createQuery("""
                from ContractLine l where l.tenantId = :tenant and l.startsAt < :until
                and (l.endsAt is null or l.endsAt >= :from)
                and (l.address, l.startsAt, l.id) > (:address, :startsAt, :id)
                order by l.address, l.startsAt, l.id""", ContractLine.class)
                .setParameter("tenant", tenantId)
                .setParameter("from", from)
                .setParameter("until", until)
                .setParameter("address", after == null ? "" : after.address)
                .setParameter("startsAt", after == null ? Instant.EPOCH : after.startsAt)
                .setParameter("id", after == null ? 0L : after.id)
                .setMaxResults(limit)
                .getResultList();
    }

    public List<BasicFeePeriod> periodsOverlapping(String tenantId, Instant from, Instant until) {
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
