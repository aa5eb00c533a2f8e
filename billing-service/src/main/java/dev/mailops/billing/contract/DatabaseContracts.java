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
        ContractLine line = entityManager.find(ContractLine.class, mailboxId);
        return line == null ? null : line.value();
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
    public void put(MailboxLine value) {
        ContractLine line = entityManager.find(ContractLine.class, value.mailboxId());
        if (line == null) {
            entityManager.persist(ContractLine.of(value));
        } else {
            line.endsAt = value.endsAt(); // the only thing the rules change on a line
        }
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
