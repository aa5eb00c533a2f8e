package dev.mailops.mailhost.hosting;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.mailops.kit.jdbc.Database;
import dev.mailops.mailhost.hosting.rules.HostedMailbox;

/**
 * The mail host's tables (what Dovecot and Postfix read through the views), one statement per change,
 * always inside the caller's transaction. Times are the events' times, so a replay writes the same rows.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class MailHostTables {

    @Inject
    Database database;

    /** Whether the event was applied already (consumer-kit's ProcessedEvents marks it when it is). */
    public boolean processed(UUID eventId) {
        return database.count("select count(*) from processed_event where event_id = ?", eventId) > 0;
    }

    /**
     * The domain; Postfix and Dovecot see it (and its mailboxes) only once it is verified. Another
     * tenant's pending row made before is a claim that expired whose DomainClaimExpired has not arrived
     * yet (it travels on that tenant's partition): the new claim takes its place.
     */
    public void addDomain(String domain, String tenantId, boolean verified, Instant at) {
        database.update("""
                insert into mail_domain (domain, tenant_id, created_at, verified) values (?, ?, ?, ?)
                on conflict (domain) do update
                   set tenant_id = excluded.tenant_id, created_at = excluded.created_at, verified = excluded.verified
                 where not mail_domain.verified and mail_domain.tenant_id <> excluded.tenant_id
                   and mail_domain.created_at < excluded.created_at""",
                lower(domain), tenantId, micros(at), verified);
    }

    /** The domain is proven: the mail host accepts mail for it and its mailboxes from now on. */
    public void verifyDomain(String domain) {
        database.update("update mail_domain set verified = true where domain = ?", lower(domain));
    }

    /**
     * The tenant's pending claim of the domain expired: the domain goes (its mailboxes went before, by
     * their MailboxDeleted). A verified domain, or one another tenant claimed since, stays.
     */
    public void expireDomain(String domain, String tenantId) {
        database.update("delete from mail_domain where domain = ? and tenant_id = ? and not verified", lower(domain),
                tenantId);
    }

    public boolean domainExists(String domain) {
        return database.count("select count(*) from mail_domain where domain = ?", lower(domain)) > 0;
    }

    /** The id of the mailbox that has the address now, if any. */
    public Optional<UUID> mailboxAt(String address) {
        return database.first("select id from mailbox where address = ?", row -> row.getObject(1, UUID.class),
                lower(address));
    }

    public void createMailbox(HostedMailbox mailbox, Instant at) {
        database.update("""
                insert into mailbox (id, tenant_id, address, domain, quota_bytes, maildir, keep_copy, rate, created_at, updated_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", mailbox.id(), mailbox.tenantId(), mailbox.address(),
                mailbox.domain(), mailbox.quotaBytes(), mailbox.maildir(), mailbox.keepCopy(), mailbox.rate(),
                micros(at), micros(at));
        database.batch("insert into forwarding (mailbox_id, target) values (?, ?)",
                mailbox.forwardTo().stream().map(target -> new Object[] {mailbox.id(), target}).toList());
    }

    /** Adds the alias to the mailbox if the mailbox is here; false otherwise. */
    public boolean addAlias(UUID mailboxId, String alias, Instant at) {
        return database.update("""
                insert into alias (address, mailbox_id, created_at)
                select ?, id, ? from mailbox where id = ?
                on conflict (address) do nothing""", lower(alias), micros(at), mailboxId) == 1;
    }

    public void removeAlias(UUID mailboxId, String alias) {
        database.update("delete from alias where address = ? and mailbox_id = ?", lower(alias), mailboxId);
    }

    /** The new rate and its quota; false when the mailbox is not here. */
    public boolean changeRate(UUID mailboxId, String rate, long quotaBytes, Instant at) {
        return database.update("update mailbox set rate = ?, quota_bytes = ?, updated_at = ? where id = ?", rate,
                quotaBytes, micros(at), mailboxId) == 1;
    }

    /**
     * Deletes the mailbox (its aliases and forwardings with it), so the views drop it in this
     * transaction, and asks for its mail to be removed. A removal already asked for stays as it is.
     */
    public void deleteMailbox(UUID mailboxId, String address, String maildir, Instant at) {
        database.update("delete from mailbox where id = ?", mailboxId);
        database.update("""
                insert into mail_removal (mailbox_id, address, maildir, requested_at, next_attempt_at)
                values (?, ?, ?, ?, ?)
                on conflict (mailbox_id) do nothing""", mailboxId, lower(address), maildir, micros(at), micros(at));
    }

    /** Empties every table a replay rebuilds (not mail_removal: it records what was done to the mail host). */
    public void truncateForReplay() {
        database.update("truncate alias, forwarding, mailbox, mail_domain, processed_event");
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static Instant micros(Instant at) {
        return at.truncatedTo(ChronoUnit.MICROS);
    }
}
