package dev.mailops.mailbox.query;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.hibernate.LockOptions;

/** The reads of the API, all scoped to one tenant. */
@ApplicationScoped
public class MailboxQueries {

    public record Page<T>(List<T> items, int page, int size, long totalItems) {
        public long totalPages() {
            return (totalItems + size - 1) / size;
        }
    }

    @Inject
    EntityManager entityManager;

    public Page<MailboxView> mailboxes(String tenantId, String domain, String search, int page, int size) {
        StringBuilder where = new StringBuilder(" where m.tenantId = :tenant");
        if (domain != null) {
            where.append(" and m.domain = :domain");
        }
        if (search != null) {
            where.append(" and (lower(m.address) like :search escape '!' or lower(m.firstName) like :search escape '!'"
                    + " or lower(m.lastName) like :search escape '!'"
                    + " or exists (select a from AliasView a where a.mailbox = m and a.address like :search escape '!'))");
        }
        var items = entityManager.createQuery("select m from MailboxView m" + where + " order by m.address",
                MailboxView.class);
        var count = entityManager.createQuery("select count(m) from MailboxView m" + where, Long.class);
        for (var query : List.of(items, count)) {
            query.setParameter("tenant", tenantId);
            if (domain != null) {
                query.setParameter("domain", domain);
            }
            if (search != null) {
                query.setParameter("search", "%" + escapeLike(search.toLowerCase(Locale.ROOT)) + "%");
            }
        }
        List<MailboxView> found = items.setFirstResult(page * size).setMaxResults(size)
                .setHint("org.hibernate.readOnly", true)
                .getResultList();
        return new Page<>(found, page, size, count.getSingleResult());
    }

    public Optional<MailboxView> mailbox(String tenantId, UUID mailboxId) {
        return Optional.ofNullable(entityManager.find(MailboxView.class, mailboxId))
                .filter(mailbox -> mailbox.tenantId.equals(tenantId));
    }

    /** The tenant's live mailbox at the address, if it has one there. */
    public Optional<MailboxView> mailboxAt(String tenantId, String address) {
        return entityManager.createQuery("from MailboxView m where m.address = :address and m.tenantId = :tenant",
                MailboxView.class).setParameter("address", address).setParameter("tenant", tenantId)
                .getResultStream().findFirst();
    }

    /** Up to {@code limit} of the tenant's live mailboxes with addresses after {@code after} (null: from the first), by address. */
    public List<MailboxView> mailboxesAfter(String tenantId, String after, int limit) {
        return entityManager.createQuery("from MailboxView m where m.tenantId = :tenant and m.address > :after"
                + " order by m.address", MailboxView.class)
                .setParameter("tenant", tenantId)
                .setParameter("after", after == null ? "" : after)
                .setMaxResults(limit).setHint("org.hibernate.readOnly", true).getResultList();
    }

    /** The aliases of the given mailboxes, by address. */
    public List<AliasView> aliasesOf(List<UUID> mailboxIds) {
        return mailboxIds.isEmpty() ? List.of() : entityManager.createQuery(
                "from AliasView a where a.mailbox.mailboxId in :ids order by a.address", AliasView.class)
                .setParameter("ids", mailboxIds).setHint("org.hibernate.readOnly", true).getResultList();
    }

    /** A page of the tenant's domains, by name. */
    public Page<MailDomainView> domains(String tenantId, int page, int size) {
        List<MailDomainView> found = entityManager.createQuery(
                "from MailDomainView d where d.tenantId = :tenant order by d.domain", MailDomainView.class)
                .setParameter("tenant", tenantId)
                .setFirstResult(page * size).setMaxResults(size)
                .setHint("org.hibernate.readOnly", true)
                .getResultList();
        long total = entityManager.createQuery("select count(d) from MailDomainView d where d.tenantId = :tenant",
                Long.class).setParameter("tenant", tenantId).getSingleResult();
        return new Page<>(found, page, size, total);
    }

    /** Pending domains whose proof is due to be looked for, at most {@code limit}, longest waiting first. */
    public List<String> verificationsDue(Instant now, int limit) {
        return entityManager.createQuery("select d.domain from MailDomainView d where d.verifiedAt is null"
                + " and d.nextVerificationAt <= :now order by d.nextVerificationAt", String.class)
                .setParameter("now", now).setMaxResults(limit).getResultList();
    }

    /**
     * Locks the pending domain's row for a check if it is still due and no other instance checks it;
     * false otherwise (the caller leaves the domain to the instance that holds it).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean lockIfVerificationDue(String domain, Instant now) {
        return !entityManager.createNativeQuery("select domain from mail_domain where domain = ?1"
                + " and verified_at is null and next_verification_at <= ?2 for update skip locked")
                .setParameter(1, domain).setParameter(2, now).getResultList().isEmpty();
    }

    /** When the checker next looks for the proof of a pending domain. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void scheduleVerification(String domain, Instant at) {
        MailDomainView view = entityManager.find(MailDomainView.class, domain);
        if (view != null && view.verifiedAt == null) {
            view.nextVerificationAt = at;
        }
    }

    /** Pending claims made at or before {@code claimedBy}, at most {@code limit}, oldest first. */
    public List<String> claimsMadeBy(Instant claimedBy, int limit) {
        return entityManager.createQuery("select d.domain from MailDomainView d where d.verifiedAt is null"
                + " and d.verificationToken is not null and d.addedAt <= :claimedBy order by d.addedAt", String.class)
                .setParameter("claimedBy", claimedBy).setMaxResults(limit).getResultList();
    }

    /**
     * The pending domain's row, locked, if its claim was made at or before {@code claimedBy} and no other
     * instance holds it; empty otherwise (verified meanwhile, expired already, or being expired elsewhere).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<MailDomainView> lockIfClaimMadeBy(String domain, Instant claimedBy) {
        return entityManager.createQuery("from MailDomainView d where d.domain = :domain and d.verifiedAt is null"
                + " and d.verificationToken is not null and d.addedAt <= :claimedBy", MailDomainView.class)
                .setParameter("domain", domain).setParameter("claimedBy", claimedBy)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", LockOptions.SKIP_LOCKED)
                .getResultStream().findFirst();
    }

    /**
     * Locks the domain's row, waiting for the verification checker or the claim expiry that holds it:
     * they lock it before they append to the domain's stream, so a command that takes it first too
     * cannot deadlock with them. Nothing to lock for a name never claimed.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockDomain(String domain) {
        entityManager.createNativeQuery("select domain from mail_domain where domain = ?1 for update")
                .setParameter(1, domain).getResultList();
    }

    /** The ids of the tenant's live mailboxes at the domain. */
    public List<UUID> mailboxIdsAt(String tenantId, String domain) {
        return entityManager.createQuery("select m.mailboxId from MailboxView m where m.tenantId = :tenant"
                + " and m.domain = :domain order by m.mailboxId", UUID.class)
                .setParameter("tenant", tenantId).setParameter("domain", domain).getResultList();
    }

    /** The ids of the tenant's live mailboxes at other domains that have an alias at the domain. */
    public List<UUID> mailboxIdsWithAliasesAt(String tenantId, String domain) {
        return entityManager.createQuery("select distinct a.mailbox.mailboxId from AliasView a where a.tenantId = :tenant"
                + " and a.address like :suffix escape '!' and a.mailbox.domain <> :domain", UUID.class)
                .setParameter("tenant", tenantId).setParameter("suffix", "%@" + escapeLike(domain))
                .setParameter("domain", domain).getResultList();
    }

    /** The domain's owner, whoever it is: the caller decides what another tenant may learn of it. */
    public Optional<MailDomainView> domain(String domain) {
        return Optional.ofNullable(entityManager.find(MailDomainView.class, domain));
    }

    public Optional<TenantSettingsView> settings(String tenantId) {
        return Optional.ofNullable(entityManager.find(TenantSettingsView.class, tenantId));
    }

    private static String escapeLike(String value) {
        return value.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
