package dev.mailops.mailhost.credentials;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.mailops.kit.jdbc.Database;

/**
 * The mailboxes' password hashes by mailbox id, apart from the mailbox rows (a credential may arrive
 * before or after its MailboxCreated); Dovecot's passdb view joins them. Last record of a key wins.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class CredentialTables {

    @Inject
    Database database;

    public void apply(CredentialChange change) {
        if (change instanceof CredentialChange.Credential credential) {
            database.update("""
                    insert into mailbox_credential (mailbox_id, password_hash, updated_at) values (?, ?, ?)
                    on conflict (mailbox_id) do update set password_hash = excluded.password_hash, updated_at = excluded.updated_at""",
                    credential.mailboxId(), credential.passwordHash(), credential.at().truncatedTo(ChronoUnit.MICROS));
        } else {
            database.update("delete from mailbox_credential where mailbox_id = ?", change.mailboxId());
        }
    }

    public void truncateForReplay() {
        database.update("truncate mailbox_credential");
    }
}
