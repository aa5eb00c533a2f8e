package dev.mailops.mailbox.credentials;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.kit.jdbc.Database;
import dev.mailops.mailbox.messaging.MailboxCredentialsRelay;
import dev.mailops.outbox.OutgoingEvent;

/**
 * Each mailbox's current password hash (the only place it is kept): its row in {@code mailbox_credential} and its publication on
 * {@code mailbox.credentials} (key = mailbox id, a tombstone once the mailbox is gone), both in the
 * transaction of the command whose event they belong to, so a credential is never ahead of its event
 * and never lost.
 */
@ApplicationScoped
public class Credentials {

    static final String TYPE = "MailboxCredential";
    static final URI SCHEMA = OutgoingEvent.schema("mailbox-credentials", TYPE, 1);

    /** The record value, as contract/mailbox-credentials/MailboxCredential.v1.schema.json describes it. */
    record Value(UUID mailboxId, String address, String passwordHash) {
        @Override
        public String toString() {
            return "Value[" + mailboxId + "]";
        }
    }

    @Inject
    Database database;
    @Inject
    MailboxCredentialsRelay outbox;
    @Inject
    ObjectMapper json;

    /** Keeps the mailbox's new hash and queues it for the credentials topic. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void set(UUID mailboxId, String tenantId, String address, String passwordHash, Instant now,
            String traceParent) {
        database.update("""
                insert into mailbox_credential (mailbox_id, password_hash, updated_at) values (?, ?, ?)
                on conflict (mailbox_id) do update set password_hash = excluded.password_hash,
                                                       updated_at = excluded.updated_at""", mailboxId, passwordHash, now);
        outbox.append(new OutgoingEvent(UUID.randomUUID(), TYPE, SCHEMA, mailboxId.toString(), tenantId, now, null,
                toJson(new Value(mailboxId, address, passwordHash)), traceParent).keyedBy(mailboxId.toString()));
    }

    /** Forgets the mailbox's hash and queues the tombstone that removes it from the credentials topic. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void remove(UUID mailboxId, String tenantId, Instant now, String traceParent) {
        database.update("delete from mailbox_credential where mailbox_id = ?", mailboxId);
        outbox.append(OutgoingEvent.tombstone(UUID.randomUUID(), TYPE, SCHEMA, mailboxId.toString(), tenantId, now,
                traceParent, mailboxId.toString()));
    }

    private String toJson(Value value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise the credential of " + value.mailboxId());
        }
    }
}
