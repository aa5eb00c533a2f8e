package dev.mailops.mailhost.credentials;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * The mailboxes' password hashes by mailbox id, apart from the mailbox rows (a credential may arrive
 * before or after its MailboxCreated); Dovecot's passdb view joins them. Last record of a key wins.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class CredentialTables {

    @Inject
    EntityManager entityManager;

    public void apply(CredentialChange change) {
        if (change instanceof CredentialChange.Credential credential) {
            entityManager.createNativeQuery("""
                    insert into mailbox_credential (mailbox_id, password_hash, updated_at) values (?1, ?2, ?3)
                    on conflict (mailbox_id) do update set password_hash = excluded.password_hash, updated_at = excluded.updated_at""")
                    .setParameter(1, credential.mailboxId()).setParameter(2, credential.passwordHash())
                    .setParameter(3, credential.at().truncatedTo(ChronoUnit.MICROS)).executeUpdate();
        } else {
            entityManager.createNativeQuery("delete from mailbox_credential where mailbox_id = ?1")
                    .setParameter(1, change.mailboxId()).executeUpdate();
        }
    }

    public void truncateForReplay() {
        entityManager.createNativeQuery("truncate mailbox_credential").executeUpdate();
    }
}
