package dev.mailops.mailbox.query;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.kit.jdbc.Database;
import dev.mailops.mailbox.domain.event.AddressReleased;
import dev.mailops.mailbox.domain.event.AliasAdded;
import dev.mailops.mailbox.domain.event.AliasRemoved;
import dev.mailops.mailbox.domain.event.DkimKeyGenerated;
import dev.mailops.mailbox.domain.event.DkimKeyPublished;
import dev.mailops.mailbox.domain.event.DkimKeyRetired;
import dev.mailops.mailbox.domain.event.DkimSelectorActivated;
import dev.mailops.mailbox.domain.event.DomainAdded;
import dev.mailops.mailbox.domain.event.DomainClaimExpired;
import dev.mailops.mailbox.domain.event.DomainVerified;
import dev.mailops.mailbox.domain.event.FeeChanged;
import dev.mailops.mailbox.domain.event.MailboxCreated;
import dev.mailops.mailbox.domain.event.MailboxDeleted;
import dev.mailops.mailbox.domain.event.MailboxEvent;
import dev.mailops.mailbox.domain.event.PasswordChanged;
import dev.mailops.mailbox.domain.event.RateChanged;

/**
 * Keeps the read models in step with the event store. It runs inside the appending transaction,
 * so a query right after a command always sees the command's effect. A row an event changes must be
 * there: a projection that finds none fails the command rather than let the view drift from the store.
 */
@ApplicationScoped
public class Projector {

    @Inject
    Database database;
    @Inject
    ObjectMapper json;

    @Transactional(Transactional.TxType.MANDATORY)
    public void project(String tenantId, MailboxEvent event, int streamVersion, Instant occurredAt) {
        if (event instanceof DomainAdded added) {
            boolean proven = added.verificationToken() == null;
            database.update("""
                    insert into mail_domain (domain, tenant_id, added_at, verification_token, verified_at, next_verification_at)
                    values (?, ?, ?, ?, ?, ?)""", added.domain(), tenantId, occurredAt, added.verificationToken(),
                    proven ? occurredAt : null, proven ? null : occurredAt);
            // A new domain has no DKIM keys: the key keeper's first step for it is due now.
            database.update("insert into dkim_domain (domain, tenant_id, next_step_at) values (?, ?, ?)",
                    added.domain(), tenantId, occurredAt);
        } else if (event instanceof DomainVerified verified) {
            one(event, database.update("update mail_domain set verification_method = ?, verified_at = ?,"
                    + " next_verification_at = null where domain = ?", verified.method(), occurredAt, verified.domain()));
        } else if (event instanceof DomainClaimExpired expired) {
            // The claim ends: the name leaves the cross-tenant index, and the key keeper's agenda.
            database.update("delete from mail_domain where domain = ?", expired.domain());
            database.update("delete from dkim_domain where domain = ?", expired.domain());
        } else if (event instanceof MailboxCreated created) {
            database.update("""
                    insert into mailbox_view (mailbox_id, tenant_id, address, local_part, domain, first_name, last_name,
                                              system_user_id, forward_to, keep_copy, rate, created_at, version)
                    values (?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?, ?, ?, ?)""", created.mailboxId(), tenantId,
                    created.address(), created.localPart(), created.domain(), created.firstName(), created.lastName(),
                    created.systemUserId(), toJson(created.forwardTo()), created.keepCopy(), created.rate(), occurredAt,
                    streamVersion);
        } else if (event instanceof AliasAdded added) {
            moveVersion(event, added.mailboxId(), streamVersion);
            database.update("insert into alias_view (address, mailbox_id, tenant_id, created_at) values (?, ?, ?, ?)",
                    added.alias(), added.mailboxId(), tenantId, occurredAt);
        } else if (event instanceof AliasRemoved removed) {
            moveVersion(event, removed.mailboxId(), streamVersion);
            database.update("delete from alias_view where mailbox_id = ? and address = ?", removed.mailboxId(),
                    removed.alias());
        } else if (event instanceof MailboxDeleted deleted) {
            // its aliases go with it (on delete cascade)
            one(event, database.update("delete from mailbox_view where mailbox_id = ?", deleted.mailboxId()));
        } else if (event instanceof FeeChanged changed) {
            database.update("""
                    insert into tenant_settings (tenant_id, basic_fee_plan, changed_at) values (?, ?, ?)
                    on conflict (tenant_id) do update set basic_fee_plan = excluded.basic_fee_plan,
                                                          changed_at = excluded.changed_at""",
                    tenantId, changed.newPlan(), occurredAt);
        } else if (event instanceof RateChanged changed) {
            one(event, database.update("update mailbox_view set rate = ?, version = ? where mailbox_id = ?",
                    changed.rate(), streamVersion, changed.mailboxId()));
        } else if (event instanceof PasswordChanged changed) {
            // The view shows no password; it only moves its version.
            moveVersion(event, changed.mailboxId(), streamVersion);
        } else if (event instanceof AddressReleased released) {
            // The address registry answers address queries; a live mailbox only moves its version.
            database.update("update mailbox_view set version = ? where mailbox_id = ?", streamVersion,
                    released.mailboxId());
        } else if (event instanceof DkimKeyGenerated generated) {
            database.update("""
                    insert into dkim_key (key_id, domain, selector, algorithm, public_key, record, state, generated_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?)""", generated.keyId(), generated.domain(), generated.selector(),
                    generated.algorithm(), generated.publicKey(), generated.record(),
                    DkimKeyView.State.GENERATED.name(), occurredAt);
        } else if (event instanceof DkimKeyPublished published) {
            one(event, database.update("update dkim_key set state = ?, published_at = ? where key_id = ?",
                    DkimKeyView.State.PUBLISHED.name(), occurredAt, published.keyId()));
        } else if (event instanceof DkimSelectorActivated activated) {
            one(event, database.update("update dkim_key set state = ?, activated_at = ? where key_id = ?",
                    DkimKeyView.State.ACTIVE.name(), occurredAt, activated.keyId()));
            if (activated.previousKeyId() != null) {
                one(event, database.update("update dkim_key set state = ?, retires_at = ? where key_id = ?",
                        DkimKeyView.State.RETIRING.name(), activated.previousKeyRetiresAt(), activated.previousKeyId()));
            }
            one(event, database.update("update dkim_domain set active_selector = ?, activated_at = ? where domain = ?",
                    activated.selector(), occurredAt, activated.domain()));
        } else if (event instanceof DkimKeyRetired retired) {
            // The fresh key under the same selector may follow in this transaction: the row goes at once.
            database.update("delete from dkim_key where key_id = ?", retired.keyId());
        } else {
            throw new IllegalArgumentException("No projection for " + event.type());
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void project(String tenantId, List<MailboxEvent> events, int firstVersion, Instant occurredAt) {
        int version = firstVersion;
        for (MailboxEvent event : events) {
            project(tenantId, event, version++, occurredAt);
        }
    }

    private void moveVersion(MailboxEvent event, UUID mailboxId, int streamVersion) {
        one(event, database.update("update mailbox_view set version = ? where mailbox_id = ?", streamVersion, mailboxId));
    }

    private static void one(MailboxEvent event, int rows) {
        if (rows != 1) {
            throw new IllegalStateException("The read model has no row for " + event.type() + " to change");
        }
    }

    private String toJson(List<String> addresses) {
        try {
            return json.writeValueAsString(addresses);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot store the forwarding addresses", e);
        }
    }
}
