package dev.mailops.mailbox.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.smallrye.reactive.messaging.MutinyEmitter;

import dev.mailops.outbox.OutboxSource;
import dev.mailops.outbox.OutboxTable;
import dev.mailops.outbox.ServiceOutbox;

/**
 * The second outbox of mailbox-service: each mailbox's current password hash, and a tombstone when
 * the mailbox is deleted, relayed to the compacted, restricted topic {@code mailbox.credentials}
 * keyed by mailbox id (settings: {@code mailbox-credentials.outbox.*}); likewise each DKIM private
 * key, sealed, keyed by {@code dkim:<keyId>}, and its tombstone when the key is retired. Its own
 * table, NOTIFY channel and relay lock, so it neither waits for nor reorders {@code mailbox.events}.
 * Rows are appended with their subject as the key; the relay gives DKIM keys their prefix.
 */
@ApplicationScoped
public class MailboxCredentialsRelay extends ServiceOutbox {

    /** The ce_type of a sealed DKIM private key. */
    public static final String DKIM_PRIVATE_KEY = "DkimPrivateKey";
    /** The record key of a DKIM private key is this prefix and the key id. */
    public static final String DKIM_KEY_PREFIX = "dkim:";

    @Inject
    @Channel("mailbox-credentials")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    MutinyEmitter<String> emitter;

    @Override
    protected String service() {
        return "mailbox";
    }

    @Override
    protected String name() {
        return "mailbox-credentials";
    }

    @Override
    protected OutboxTable table() {
        return outboxes().table(name(), "credentials_outbox", OutboxTable.RecordKey.SUBJECT);
    }

    @Override
    protected OutboxSource source() {
        return new CredentialsRecordKeys(table());
    }

    @Override
    protected MutinyEmitter<String> emitter() {
        return emitter;
    }
}
