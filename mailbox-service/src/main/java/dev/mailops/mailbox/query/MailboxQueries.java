package dev.mailops.mailbox.query;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

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

    public List<MailDomainView> domains(String tenantId) {
        return entityManager.createQuery("from MailDomainView d where d.tenantId = :tenant order by d.domain",
                MailDomainView.class)
                .setParameter("tenant", tenantId)
                .getResultList();
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
