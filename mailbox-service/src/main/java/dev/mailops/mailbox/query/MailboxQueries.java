package dev.mailops.mailbox.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.kit.jdbc.Database;
import dev.mailops.kit.jdbc.Database.Row;

/** The reads of the API, all scoped to one tenant. */
@ApplicationScoped
public class MailboxQueries {

    public record Page<T>(List<T> items, int page, int size, long totalItems) {
        public long totalPages() {
            return (totalItems + size - 1) / size;
        }
    }

    private static final String MAILBOX = "select " + MailboxView.COLUMNS + " from mailbox_view m";
    private static final String DOMAIN = "select " + MailDomainView.COLUMNS + " from mail_domain";

    @Inject
    Database database;
    @Inject
    ObjectMapper json;

    /** A page of the tenant's mailboxes with their aliases, by address; narrowed to a domain and to a search when given. */
    public Page<MailboxView> mailboxes(String tenantId, String domain, String search, int page, int size) {
        StringBuilder where = new StringBuilder(" where m.tenant_id = ?");
        List<Object> parameters = new ArrayList<>(List.of(tenantId));
        if (domain != null) {
            where.append(" and m.domain = ?");
            parameters.add(domain);
        }
        if (search != null) {
            String pattern = "%" + escapeLike(search.toLowerCase(Locale.ROOT)) + "%";
            where.append(" and (lower(m.address) like ? escape '!' or lower(m.first_name) like ? escape '!'"
                    + " or lower(m.last_name) like ? escape '!'"
                    + " or exists (select 1 from alias_view a where a.mailbox_id = m.mailbox_id and a.address like ? escape '!'))");
            parameters.addAll(List.of(pattern, pattern, pattern, pattern));
        }
        long total = database.count("select count(*) from mailbox_view m" + where, parameters.toArray());
        parameters.addAll(List.of(size, (long) page * size));
        List<MailboxView> found = withAliases(database.list(MAILBOX + where + " order by m.address limit ? offset ?",
                mailbox(), parameters.toArray()));
        return new Page<>(found, page, size, total);
    }

    public Optional<MailboxView> mailbox(String tenantId, UUID mailboxId) {
        return database.first(MAILBOX + " where m.mailbox_id = ? and m.tenant_id = ?", mailbox(), mailboxId, tenantId)
                .map(this::withAliases);
    }

    /** The local part of the tenant's live mailbox of that id, without reading the rest of it. */
    public Optional<String> localPart(String tenantId, UUID mailboxId) {
        return database.first("select local_part from mailbox_view where mailbox_id = ? and tenant_id = ?",
                row -> row.getString(1), mailboxId, tenantId);
    }

    /** Whether the tenant has a live mailbox of that id. */
    public boolean hasMailbox(String tenantId, UUID mailboxId) {
        return database.count("select count(*) from mailbox_view where mailbox_id = ? and tenant_id = ?", mailboxId,
                tenantId) > 0;
    }

    /** The tenant's live mailbox at the address, if it has one there. */
    public Optional<MailboxView> mailboxAt(String tenantId, String address) {
        return database.first(MAILBOX + " where m.address = ? and m.tenant_id = ?", mailbox(), address, tenantId)
                .map(this::withAliases);
    }

    /** Up to {@code limit} of the tenant's live mailboxes with addresses after {@code after} (null: from the first), by address, without their aliases. */
    public List<MailboxView> mailboxesAfter(String tenantId, String after, int limit) {
        return database.list(MAILBOX + " where m.tenant_id = ? and m.address > ? order by m.address limit ?", mailbox(),
                tenantId, after == null ? "" : after, limit);
    }

    /** The aliases of the given mailboxes, by address. */
    public List<AliasView> aliasesOf(List<UUID> mailboxIds) {
        return mailboxIds.isEmpty() ? List.of() : database.list("select " + AliasView.COLUMNS
                + " from alias_view where mailbox_id = any(cast(? as uuid[])) order by address", AliasView::read,
                (Object) mailboxIds.stream().map(UUID::toString).toArray(String[]::new));
    }

    /** A page of the tenant's domains, by name. */
    public Page<MailDomainView> domains(String tenantId, int page, int size) {
        List<MailDomainView> found = database.list(DOMAIN + " where tenant_id = ? order by domain limit ? offset ?",
                MailDomainView::read, tenantId, size, (long) page * size);
        long total = database.count("select count(*) from mail_domain where tenant_id = ?", tenantId);
        return new Page<>(found, page, size, total);
    }

    /** Pending domains whose proof is due to be looked for, at most {@code limit}, longest waiting first. */
    public List<String> verificationsDue(Instant now, int limit) {
        return database.list("select domain from mail_domain where verified_at is null and next_verification_at <= ?"
                + " order by next_verification_at limit ?", row -> row.getString(1), now, limit);
    }

    /**
     * Locks the pending domain's row for a check if it is still due and no other instance checks it;
     * false otherwise (the caller leaves the domain to the instance that holds it).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean lockIfVerificationDue(String domain, Instant now) {
        return !database.list("select domain from mail_domain where domain = ?"
                + " and verified_at is null and next_verification_at <= ? for update skip locked",
                row -> row.getString(1), domain, now).isEmpty();
    }

    /** When the checker next looks for the proof of a pending domain. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void scheduleVerification(String domain, Instant at) {
        database.update("update mail_domain set next_verification_at = ? where domain = ? and verified_at is null",
                at, domain);
    }

    /** Pending claims made at or before {@code claimedBy}, at most {@code limit}, oldest first. */
    public List<String> claimsMadeBy(Instant claimedBy, int limit) {
        return database.list("select domain from mail_domain where verified_at is null"
                + " and verification_token is not null and added_at <= ? order by added_at limit ?",
                row -> row.getString(1), claimedBy, limit);
    }

    /**
     * The pending domain's row, locked, if its claim was made at or before {@code claimedBy} and no other
     * instance holds it; empty otherwise (verified meanwhile, expired already, or being expired elsewhere).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<MailDomainView> lockIfClaimMadeBy(String domain, Instant claimedBy) {
        return database.first(DOMAIN + " where domain = ? and verified_at is null and verification_token is not null"
                + " and added_at <= ? for update skip locked", MailDomainView::read, domain, claimedBy);
    }

    /**
     * Locks the domain's row, waiting for the verification checker or the claim expiry that holds it:
     * they lock it before they append to the domain's stream, so a command that takes it first too
     * cannot deadlock with them. Nothing to lock for a name never claimed.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockDomain(String domain) {
        database.list("select domain from mail_domain where domain = ? for update", row -> row.getString(1), domain);
    }

    /** The ids of the tenant's live mailboxes at the domain. */
    public List<UUID> mailboxIdsAt(String tenantId, String domain) {
        return database.list("select mailbox_id from mailbox_view where tenant_id = ? and domain = ? order by mailbox_id",
                row -> row.getObject(1, UUID.class), tenantId, domain);
    }

    /** The ids of the tenant's live mailboxes at other domains that have an alias at the domain. */
    public List<UUID> mailboxIdsWithAliasesAt(String tenantId, String domain) {
        return database.list("select distinct a.mailbox_id from alias_view a join mailbox_view m on m.mailbox_id = a.mailbox_id"
                + " where a.tenant_id = ? and a.address like ? escape '!' and m.domain <> ?",
                row -> row.getObject(1, UUID.class), tenantId, "%@" + escapeLike(domain), domain);
    }

    /** The domain's owner, whoever it is: the caller decides what another tenant may learn of it. */
    public Optional<MailDomainView> domain(String domain) {
        return database.first(DOMAIN + " where domain = ?", MailDomainView::read, domain);
    }

    public Optional<TenantSettingsView> settings(String tenantId) {
        return database.first("select " + TenantSettingsView.COLUMNS + " from tenant_settings where tenant_id = ?",
                TenantSettingsView::read, tenantId);
    }

    private Row<MailboxView> mailbox() {
        return row -> MailboxView.read(row, json);
    }

    private MailboxView withAliases(MailboxView mailbox) {
        withAliases(List.of(mailbox));
        return mailbox;
    }

    /** Reads the aliases of all the mailboxes in one query. */
    private List<MailboxView> withAliases(List<MailboxView> mailboxes) {
        Map<UUID, List<AliasView>> aliases = aliasesOf(mailboxes.stream().map(mailbox -> mailbox.mailboxId).toList())
                .stream().collect(Collectors.groupingBy(alias -> alias.mailboxId));
        mailboxes.forEach(mailbox -> mailbox.aliases = new ArrayList<>(aliases.getOrDefault(mailbox.mailboxId, List.of())));
        return mailboxes;
    }

    private static String escapeLike(String value) {
        return value.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
