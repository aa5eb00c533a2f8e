package dev.mailops.mailhost.hosting;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.mailops.mailhost.hosting.rules.HostedMailbox;

/**
 * The mail host's tables (what Dovecot and Postfix read through the views), one statement per change,
 * always inside the caller's transaction. Times are the events' times, so a replay writes the same rows.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class MailHostTables {

    @Inject
    EntityManager entityManager;

    /** Whether the event was applied already (consumer-kit's ProcessedEvents marks it when it is). */
    public boolean processed(UUID eventId) {
        return !entityManager.createNativeQuery("select 1 from processed_event where event_id = ?1")
                .setParameter(1, eventId).getResultList().isEmpty();
    }

    /**
     * The domain; Postfix and Dovecot see it (and its mailboxes) only once it is verified. Another
     * tenant's pending row made before is a claim that expired whose DomainClaimExpired has not arrived
     * yet (it travels on that tenant's partition): the new claim takes its place.
     */
    public void addDomain(String domain, String tenantId, boolean verified, Instant at) {
        entityManager.createNativeQuery("""
                insert into mail_domain (domain, tenant_id, created_at, verified) values (?1, ?2, ?3, ?4)
                on conflict (domain) do update
                   set tenant_id = excluded.tenant_id, created_at = excluded.created_at, verified = excluded.verified
                 where not mail_domain.verified and mail_domain.tenant_id <> excluded.tenant_id
                   and mail_domain.created_at < excluded.created_at""")
                .setParameter(1, domain.toLowerCase(Locale.ROOT)).setParameter(2, tenantId).setParameter(3, micros(at))
                .setParameter(4, verified)
                .executeUpdate();
    }

    /** The domain is proven: the mail host accepts mail for it and its mailboxes from now on. */
    public void verifyDomain(String domain) {
        entityManager.createNativeQuery("update mail_domain set verified = true where domain = ?1")
                .setParameter(1, domain.toLowerCase(Locale.ROOT)).executeUpdate();
    }

    /**
     * The tenant's pending claim of the domain expired: the domain goes (its mailboxes went before, by
     * their MailboxDeleted). A verified domain, or one another tenant claimed since, stays.
     */
    public void expireDomain(String domain, String tenantId) {
        entityManager.createNativeQuery("delete from mail_domain where domain = ?1 and tenant_id = ?2 and not verified")
                .setParameter(1, domain.toLowerCase(Locale.ROOT)).setParameter(2, tenantId).executeUpdate();
    }

    public boolean domainExists(String domain) {
        return !entityManager.createNativeQuery("select 1 from mail_domain where domain = ?1")
                .setParameter(1, domain.toLowerCase(Locale.ROOT)).getResultList().isEmpty();
    }

    /** The id of the mailbox that has the address now, if any. */
    public Optional<UUID> mailboxAt(String address) {
        return entityManager.createNativeQuery("select id from mailbox where address = ?1", UUID.class)
                .setParameter(1, address.toLowerCase(Locale.ROOT)).getResultStream().findFirst().map(UUID.class::cast);
    }

    public void createMailbox(HostedMailbox mailbox, Instant at) {
        entityManager.createNativeQuery("""
                insert into mailbox (id, tenant_id, address, domain, quota_bytes, maildir, keep_copy, rate, created_at, updated_at)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)""")
                .setParameter(1, mailbox.id()).setParameter(2, mailbox.tenantId()).setParameter(3, mailbox.address())
                .setParameter(4, mailbox.domain()).setParameter(5, mailbox.quotaBytes()).setParameter(6, mailbox.maildir())
                .setParameter(7, mailbox.keepCopy()).setParameter(8, mailbox.rate()).setParameter(9, micros(at))
                .executeUpdate();
        for (String target : mailbox.forwardTo()) {
            entityManager.createNativeQuery("insert into forwarding (mailbox_id, target) values (?1, ?2)")
                    .setParameter(1, mailbox.id()).setParameter(2, target).executeUpdate();
        }
    }

    /** Adds the alias to the mailbox if the mailbox is here; false otherwise. */
    public boolean addAlias(UUID mailboxId, String alias, Instant at) {
        return entityManager.createNativeQuery("""
                insert into alias (address, mailbox_id, created_at)
                select ?1, id, ?3 from mailbox where id = ?2
                on conflict (address) do nothing""")
                .setParameter(1, alias.toLowerCase(Locale.ROOT)).setParameter(2, mailboxId).setParameter(3, micros(at))
                .executeUpdate() == 1;
    }

    public void removeAlias(UUID mailboxId, String alias) {
        entityManager.createNativeQuery("delete from alias where address = ?1 and mailbox_id = ?2")
                .setParameter(1, alias.toLowerCase(Locale.ROOT)).setParameter(2, mailboxId).executeUpdate();
    }

    /** The new rate and its quota; false when the mailbox is not here. */
    public boolean changeRate(UUID mailboxId, String rate, long quotaBytes, Instant at) {
        return entityManager.createNativeQuery("update mailbox set rate = ?2, quota_bytes = ?3, updated_at = ?4 where id = ?1")
                .setParameter(1, mailboxId).setParameter(2, rate).setParameter(3, quotaBytes).setParameter(4, micros(at))
                .executeUpdate() == 1;
    }

    /**
     * Deletes the mailbox (its aliases and forwardings with it), so the views drop it in this
     * transaction, and asks for its mail to be removed. A removal already asked for stays as it is.
     */
    public void deleteMailbox(UUID mailboxId, String address, String maildir, Instant at) {
        entityManager.createNativeQuery("delete from mailbox where id = ?1").setParameter(1, mailboxId).executeUpdate();
        entityManager.createNativeQuery("""
                insert into mail_removal (mailbox_id, address, maildir, requested_at, next_attempt_at)
                values (?1, ?2, ?3, ?4, ?4)
                on conflict (mailbox_id) do nothing""")
                .setParameter(1, mailboxId).setParameter(2, address.toLowerCase(Locale.ROOT)).setParameter(3, maildir)
                .setParameter(4, micros(at)).executeUpdate();
    }

    /** Empties every table a replay rebuilds (not mail_removal: it records what was done to the mail host). */
    public void truncateForReplay() {
        entityManager.createNativeQuery("truncate alias, forwarding, mailbox, mail_domain, processed_event")
                .executeUpdate();
    }

    private static Instant micros(Instant at) {
        return at.truncatedTo(ChronoUnit.MICROS);
    }
}
