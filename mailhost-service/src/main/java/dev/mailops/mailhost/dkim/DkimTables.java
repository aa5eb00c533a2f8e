package dev.mailops.mailhost.dkim;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

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
    EntityManager entityManager;

    public void apply(DkimKeyChange change) {
        if (change instanceof DkimKeyChange.SealedKey key) {
            entityManager.createNativeQuery("""
                    insert into dkim_private_key (key_id, domain, selector, algorithm, sealed_private_key, received_at)
                    values (?1, ?2, ?3, ?4, ?5, ?6)
                    on conflict (key_id) do update set domain = excluded.domain, selector = excluded.selector,
                        algorithm = excluded.algorithm, sealed_private_key = excluded.sealed_private_key,
                        received_at = excluded.received_at""")
                    .setParameter(1, key.keyId()).setParameter(2, key.domain()).setParameter(3, key.selector())
                    .setParameter(4, key.algorithm()).setParameter(5, key.sealedPrivateKey())
                    .setParameter(6, micros(key.at())).executeUpdate();
        } else {
            entityManager.createNativeQuery("delete from dkim_private_key where key_id = ?1")
                    .setParameter(1, change.keyId()).executeUpdate();
        }
    }

    /** A fresh key under the selector, replacing whichever key the selector had. */
    public void keyGenerated(String domain, String selector, UUID keyId, String algorithm, String record, Instant at) {
        entityManager.createNativeQuery("""
                insert into dkim_selector (domain, selector, key_id, algorithm, record, state, generated_at)
                values (?1, ?2, ?3, ?4, ?5, 'generated', ?6)
                on conflict (domain, selector) do update set key_id = excluded.key_id, algorithm = excluded.algorithm,
                    record = excluded.record, state = 'generated', generated_at = excluded.generated_at,
                    published_at = null, activated_at = null, retires_at = null""")
                .setParameter(1, lower(domain)).setParameter(2, selector).setParameter(3, keyId)
                .setParameter(4, algorithm).setParameter(5, record).setParameter(6, micros(at)).executeUpdate();
    }

    public void keyPublished(UUID keyId, Instant at) {
        entityManager.createNativeQuery("""
                update dkim_selector set state = 'published', published_at = ?2
                 where key_id = ?1 and state = 'generated'""")
                .setParameter(1, keyId).setParameter(2, micros(at)).executeUpdate();
    }

    /**
     * The key signs the domain's mail from now on; whichever key signed until now is retiring (it stays
     * published, and its file stays, until it is retired).
     */
    public void selectorActivated(String domain, UUID keyId, Instant retiresAt, Instant at) {
        entityManager.createNativeQuery("""
                update dkim_selector set state = 'retiring', retires_at = ?3
                 where domain = ?1 and state = 'active' and key_id <> ?2""")
                .setParameter(1, lower(domain)).setParameter(2, keyId)
                .setParameter(3, retiresAt == null ? null : micros(retiresAt)).executeUpdate();
        entityManager.createNativeQuery("""
                update dkim_selector set state = 'active', activated_at = ?3, retires_at = null
                 where domain = ?1 and key_id = ?2""")
                .setParameter(1, lower(domain)).setParameter(2, keyId).setParameter(3, micros(at)).executeUpdate();
    }

    /** The key neither signs nor is published any more: its selector forgets it (unless it has a newer key already). */
    public void keyRetired(UUID keyId) {
        entityManager.createNativeQuery("delete from dkim_selector where key_id = ?1").setParameter(1, keyId)
                .executeUpdate();
    }

    /** The keys a selector has now and whose sealed private key is here: what the signer may need. */
    public List<LiveKey> liveKeys() {
        List<?> rows = entityManager.createNativeQuery("""
                select k.key_id, k.sealed_private_key from dkim_private_key k
                  join dkim_selector s on s.key_id = k.key_id and s.domain = k.domain and s.selector = k.selector
                 order by k.key_id""").getResultList();
        return rows.stream().map(Object[].class::cast).map(row -> new LiveKey((UUID) row[0], (String) row[1])).toList();
    }

    public List<KeyFile> keyFiles() {
        List<?> rows = entityManager.createNativeQuery("select key_id, path from dkim_key_file order by key_id").getResultList();
        return rows.stream().map(Object[].class::cast).map(row -> new KeyFile((UUID) row[0], (String) row[1])).toList();
    }

    public void recordKeyFile(UUID keyId, String path, Instant at) {
        entityManager.createNativeQuery("""
                insert into dkim_key_file (key_id, path, written_at) values (?1, ?2, ?3)
                on conflict (key_id) do update set path = excluded.path, written_at = excluded.written_at""")
                .setParameter(1, keyId).setParameter(2, path).setParameter(3, micros(at)).executeUpdate();
    }

    public void forgetKeyFile(UUID keyId) {
        entityManager.createNativeQuery("delete from dkim_key_file where key_id = ?1").setParameter(1, keyId)
                .executeUpdate();
    }

    /** Empties the selectors, which a replay of mailbox.events rebuilds. */
    public void truncateSelectorsForReplay() {
        entityManager.createNativeQuery("truncate dkim_selector").executeUpdate();
    }

    /** Empties the sealed keys, which a replay of mailbox.credentials rebuilds (not dkim_key_file: the writer's record). */
    public void truncateKeysForReplay() {
        entityManager.createNativeQuery("truncate dkim_private_key").executeUpdate();
    }

    private static String lower(String domain) {
        return domain.toLowerCase(Locale.ROOT);
    }

    private static Instant micros(Instant at) {
        return at.truncatedTo(ChronoUnit.MICROS);
    }
}
