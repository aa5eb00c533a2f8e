package dev.mailops.mailbox.messaging;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import dev.mailops.outbox.OutboxSource;
import dev.mailops.outbox.OutboxTable;

/**
 * The records of {@code credentials_outbox} with their record keys on {@code mailbox.credentials}: a
 * mailbox's hash is keyed by the mailbox id (its subject), a DKIM private key by {@code dkim:<keyId>}
 * (its subject being the key id), so the two kinds never share a key on the compacted topic.
 */
final class CredentialsRecordKeys implements OutboxSource {

    private final OutboxTable table;

    CredentialsRecordKeys(OutboxTable table) {
        this.table = table;
    }

    @Override
    public String table() {
        return table.table();
    }

    @Override
    public String notifyChannel() {
        return table.notifyChannel();
    }

    @Override
    public List<Pending> oldest(Connection connection, int limit) throws SQLException {
        return table.oldest(connection, limit).stream()
                .map(pending -> pending.event().type().equals(MailboxCredentialsRelay.DKIM_PRIVATE_KEY)
                        ? new Pending(pending.position(), pending.event()
                                .keyedBy(MailboxCredentialsRelay.DKIM_KEY_PREFIX + pending.event().subject()))
                        : pending)
                .toList();
    }

    @Override
    public void remove(Connection connection, List<Pending> published) throws SQLException {
        table.remove(connection, published);
    }
}
