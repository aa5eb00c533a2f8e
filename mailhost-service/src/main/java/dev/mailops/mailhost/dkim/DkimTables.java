package dev.mailops.mailhost.dkim;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.mailops.kit.jdbc.Database;

/**
 * The DKIM tables, one statement per change, always inside the caller's transaction: the sealed private
 * keys (by key id, last record wins), the selectors' keys and states (from the events, whose times they
 * keep, so a replay writes the same rows), and where the key writer put each live key's file.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class DkimTables {

    /** A key the signer may need: sealed, with what opens it (the key id is the associated data). */
    public record LiveKey(UUID keyId, String sealedPrivateKey) {
        @Override
        public String toString() {
            return "LiveKey[keyId=" + keyId + ", sealedPrivateKey=(hidden)]";
        }
    }

    /** A key file the writer recorded. */
    public record KeyFile(UUID keyId, String path) {
    }

    @Inject
    Database database;

    public void apply(DkimKeyChange change) {
        if (change instanceof DkimKeyChange.SealedKey key) {
            database.update("""
                    insert into dkim_private_key (key_id, domain, selector, algorithm, sealed_private_key, received_at)
                    values (?, ?, ?, ?, ?, ?)
                    on conflict (key_id) do update set domain = excluded.domain, selector = excluded.selector,
                        algorithm = excluded.algorithm, sealed_private_key = excluded.sealed_private_key,
                        received_at = excluded.received_at""", key.keyId(), key.domain(), key.selector(),
                    key.algorithm(), key.sealedPrivateKey(), micros(key.at()));
        } else {
            database.update("delete from dkim_private_key where key_id = ?", change.keyId());
        }
    }

    /** A fresh key under the selector, replacing whichever key the selector had. */
    public void keyGenerated(String domain, String selector, UUID keyId, String algorithm, String record, Instant at) {
        database.update("""
                insert into dkim_selector (domain, selector, key_id, algorithm, record, state, generated_at)
                values (?, ?, ?, ?, ?, 'generated', ?)
                on conflict (domain, selector) do update set key_id = excluded.key_id, algorithm = excluded.algorithm,
                    record = excluded.record, state = 'generated', generated_at = excluded.generated_at,
                    published_at = null, activated_at = null, retires_at = null""",
                lower(domain), selector, keyId, algorithm, record, micros(at));
    }

    public void keyPublished(UUID keyId, Instant at) {
        database.update("update dkim_selector set state = 'published', published_at = ? where key_id = ? and state = 'generated'",
                micros(at), keyId);
    }

    /**
     * The key signs the domain's mail from now on; whichever key signed until now is retiring (it stays
     * published, and its file stays, until it is retired).
     */
    public void selectorActivated(String domain, UUID keyId, Instant retiresAt, Instant at) {
        database.update("""
                update dkim_selector set state = 'retiring', retires_at = ?
                 where domain = ? and state = 'active' and key_id <> ?""",
                retiresAt == null ? null : micros(retiresAt), lower(domain), keyId);
        database.update("""
                update dkim_selector set state = 'active', activated_at = ?, retires_at = null
                 where domain = ? and key_id = ?""", micros(at), lower(domain), keyId);
    }

    /** The key neither signs nor is published any more: its selector forgets it (unless it has a newer key already). */
    public void keyRetired(UUID keyId) {
        database.update("delete from dkim_selector where key_id = ?", keyId);
    }

    /** The keys a selector has now and whose sealed private key is here: what the signer may need. */
    public List<LiveKey> liveKeys() {
        return database.list("""
                select k.key_id, k.sealed_private_key from dkim_private_key k
                  join dkim_selector s on s.key_id = k.key_id and s.domain = k.domain and s.selector = k.selector
                 order by k.key_id""", row -> new LiveKey(row.getObject(1, UUID.class), row.getString(2)));
    }

    public List<KeyFile> keyFiles() {
        return database.list("select key_id, path from dkim_key_file order by key_id",
                row -> new KeyFile(row.getObject(1, UUID.class), row.getString(2)));
    }

    public void recordKeyFile(UUID keyId, String path, Instant at) {
        database.update("""
                insert into dkim_key_file (key_id, path, written_at) values (?, ?, ?)
                on conflict (key_id) do update set path = excluded.path, written_at = excluded.written_at""",
                keyId, path, micros(at));
    }

    public void forgetKeyFile(UUID keyId) {
        database.update("delete from dkim_key_file where key_id = ?", keyId);
    }

    /** Empties the selectors, which a replay of mailbox.events rebuilds. */
    public void truncateSelectorsForReplay() {
        database.update("truncate dkim_selector");
    }

    /** Empties the sealed keys, which a replay of mailbox.credentials rebuilds (not dkim_key_file: the writer's record). */
    public void truncateKeysForReplay() {
        database.update("truncate dkim_private_key");
    }

    private static String lower(String domain) {
        return domain.toLowerCase(Locale.ROOT);
    }

    private static Instant micros(Instant at) {
        return at.truncatedTo(ChronoUnit.MICROS);
    }
}
