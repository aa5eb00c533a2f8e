package dev.mailops.billing.contract;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import dev.mailops.billing.contract.rules.ContractHead;
import dev.mailops.billing.contract.rules.ContractStore;
import dev.mailops.billing.contract.rules.FeePeriod;
import dev.mailops.billing.contract.rules.MailboxLine;

/** The contracts in PostgreSQL, as the rules see them: each value is read from and written to its entity. */
@ApplicationScoped
class DatabaseContracts implements ContractStore {

    @Inject
    EntityManager entityManager;

    @Override
    public ContractHead contract(String tenantId) {
        Contract contract = entityManager.find(Contract.class, tenantId);
        return contract == null ? null : contract.head();
    }

    @Override
    public MailboxLine line(UUID mailboxId) {
        // A new line starts when the one before it ends, so the latest starts last (or, the same instant, was added last).
        return entityManager.createQuery(
                "from ContractLine l where l.mailboxId = :mailbox order by l.startsAt desc, l.id desc", ContractLine.class)
                .setParameter("mailbox", mailboxId)
                .setMaxResults(1)
                .getResultStream().findFirst().map(ContractLine::value).orElse(null);
    }

    @Override
    public void put(ContractHead head) {
        Contract contract = entityManager.find(Contract.class, head.tenantId());
        if (contract == null) {
            entityManager.persist(Contract.of(head));
        } else {
            contract.take(head);
        }
    }

    @Override
    public void endOpenLine(UUID mailboxId, Instant at, boolean replaced) {
        ContractLine line = entityManager.createQuery(
                "from ContractLine l where l.mailboxId = :mailbox and l.endsAt is null", ContractLine.class)
                .setParameter("mailbox", mailboxId)
                .getSingleResult();
        line.endsAt = at;
        line.replaced = replaced;
        // Written now, before a next line of the mailbox is inserted (inserts go out at once): at most one open line.
        entityManager.flush();
    }

    @Override
    public void add(MailboxLine line) {
        entityManager.persist(ContractLine.of(line));
    }

    @Override
    public void endOpenPeriod(String tenantId, Instant at) {
        entityManager.createQuery(
                "from BasicFeePeriod p where p.tenantId = :tenant and p.endsAt is null", BasicFeePeriod.class)
                .setParameter("tenant", tenantId)
                .getSingleResult().endsAt = at;
    }

    @Override
    public void add(FeePeriod period) {
        entityManager.persist(BasicFeePeriod.of(period));
    }
}
