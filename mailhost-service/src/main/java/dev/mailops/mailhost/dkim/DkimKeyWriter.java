package dev.mailops.mailhost.dkim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import dev.mailops.consumer.TopicReplay;
import dev.mailops.kit.secrets.KeyEncryption;

/**
 * Hands the domains' DKIM keys to the signer: opens each live key (a selector has it and its sealed
 * private key is here) with the key-encryption key, writes it as {@code <keyId>.pem} into the key
 * directory ({@link KeyFiles}) and records the path in {@code dkim_key_file}, which the signer's views
 * require; deletes the file and the record of every other key (retired, tombstoned). Runs right after
 * a change is applied and on a schedule, so a second instance, or a restart with an empty directory,
 * converges. The opened key is held only while it is written; nothing logged here holds key material.
 */
@ApplicationScoped
public class DkimKeyWriter {

    private static final Logger LOG = Logger.getLogger(DkimKeyWriter.class);

    /** What the last round found, for the health check. */
    public record Round(boolean keyEncryptionKeyConfigured, int liveKeys, int writtenKeys, int unopenable) {
    }

    @Inject
    DkimTables tables;
    @Inject
    TopicReplay replay;
    @Inject
    ManagedExecutor executor;
    @Inject
    MeterRegistry meters;
    @Inject
    Clock clock;

    @ConfigProperty(name = "mailhost.dkim.key-encryption-key-file")
    Optional<Path> keyEncryptionKeyFile;
    @ConfigProperty(name = "mailhost.dkim.key-directory")
    Path keyDirectory;
    @ConfigProperty(name = "mailhost.dkim.key-file-group")
    Optional<String> keyFileGroup;

    private KeyFiles files;
    private final AtomicBoolean warnedWithoutKey = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicInteger requested = new AtomicInteger();
    private volatile Round lastRound;

    @PostConstruct
    void init() {
        files = new KeyFiles(keyDirectory, keyFileGroup);
    }

    public Path keyDirectory() {
        return files.directory();
    }

    /** The last round's findings; null before the first one. */
    public Round lastRound() {
        return lastRound;
    }

    @Scheduled(identity = "dkim-key-writer", every = "${mailhost.dkim.write-interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        converge();
    }

    /** Starts a round soon, off the caller's thread (a key or a selector changed). */
    public void wake() {
        executor.execute(this::converge);
    }

    /**
     * Brings the key directory and dkim_key_file in line with the live keys. A request while a round
     * runs makes that round go once more, so a change committed during a round is never missed.
     */
    public void converge() {
        requested.incrementAndGet();
        while (running.compareAndSet(false, true)) {
            try {
                while (requested.getAndSet(0) > 0) {
                    lastRound = round();
                }
            } catch (RuntimeException e) {
                LOG.warnf("A round of the DKIM key writer stopped (%s); the next round goes on", e.getClass().getSimpleName());
            } finally {
                running.set(false);
            }
            if (requested.get() == 0) {
                return;
            }
        }
    }

    private Round round() {
        Optional<KeyEncryption> encryption = keyEncryption();
        // Read together, after any replay's rebuilding transaction (whose truncation no reader must see).
        record Snapshot(List<DkimTables.LiveKey> live, List<DkimTables.KeyFile> recorded) {
        }
        Snapshot snapshot = QuarkusTransaction.requiringNew().call(() -> {
            replay.holdSharedForTransaction();
            return new Snapshot(tables.liveKeys(), tables.keyFiles());
        });
        List<DkimTables.LiveKey> live = snapshot.live();
        List<DkimTables.KeyFile> recorded = snapshot.recorded();
        Set<String> liveNames = new HashSet<>();
        live.forEach(key -> liveNames.add(key.keyId().toString()));

        // First what must go: the signer stops naming a key before its file disappears.
        for (DkimTables.KeyFile file : recorded) {
            if (!liveNames.contains(file.keyId().toString()) || !Path.of(file.path()).equals(files.path(file.keyId().toString()))) {
                QuarkusTransaction.requiringNew().run(() -> tables.forgetKeyFile(file.keyId()));
            }
        }
        try {
            for (String name : files.names()) {
                if (!liveNames.contains(name) && files.remove(name)) {
                    LOG.infof("Deleted the DKIM key file of %s (retired or withdrawn)", name);
                    meters.counter("mailhost.dkim.key.files", "action", "deleted").increment();
                }
            }
            files.removeLeftovers();
        } catch (IOException e) {
            LOG.warnf("Could not clean the DKIM key directory %s: %s", files.directory(), e.getMessage());
        }

        if (encryption.isEmpty()) {
            if (warnedWithoutKey.compareAndSet(false, true)) {
                LOG.warnf("mailhost.dkim.key-encryption-key-file is not set or not readable: %d DKIM keys stay sealed, "
                        + "no key file is written and the domains' mail is not signed", live.size());
            }
            return new Round(false, live.size(), 0, 0);
        }
        warnedWithoutKey.set(false);
        int written = 0;
        int unopenable = 0;
        Set<UUID> recordedIds = new HashSet<>();
        recorded.forEach(file -> recordedIds.add(file.keyId()));
        for (DkimTables.LiveKey key : live) {
            String name = key.keyId().toString();
            byte[] pem;
            try {
                pem = PrivateKeyPem.encode(encryption.get().open(key.sealedPrivateKey(), name));
            } catch (KeyEncryption.SealedValueException e) {
                unopenable++;
                LOG.errorf("The DKIM key %s does not open with the configured key-encryption key; not written", name);
                continue;
            }
            try {
                if (!files.holds(name, pem)) {
                    Path path = files.write(name, pem);
                    LOG.infof("Wrote the DKIM key file %s", path);
                    meters.counter("mailhost.dkim.key.files", "action", "written").increment();
                }
                if (!recordedIds.contains(key.keyId()) || !recordedPath(recorded, key.keyId()).equals(files.path(name))) {
                    QuarkusTransaction.requiringNew().run(() ->
                            tables.recordKeyFile(key.keyId(), files.path(name).toString(), clock.instant()));
                }
                written++;
            } catch (IOException e) {
                LOG.warnf("Could not write the DKIM key file of %s into %s: %s", name, files.directory(),
                        e.getClass().getSimpleName());
            } finally {
                Arrays.fill(pem, (byte) 0);
            }
        }
        return new Round(true, live.size(), written, unopenable);
    }

    private static Path recordedPath(List<DkimTables.KeyFile> recorded, UUID keyId) {
        return recorded.stream().filter(file -> file.keyId().equals(keyId)).map(file -> Path.of(file.path()))
                .findFirst().orElse(Path.of(""));
    }

    /** Read at each round, so a key-encryption key that appears later is used without a restart. */
    private Optional<KeyEncryption> keyEncryption() {
        if (keyEncryptionKeyFile.isEmpty() || !Files.isReadable(keyEncryptionKeyFile.get())) {
            return Optional.empty();
        }
        try {
            return Optional.of(KeyEncryption.fromFile(keyEncryptionKeyFile.get()));
        } catch (RuntimeException e) {
            LOG.errorf("The DKIM key-encryption key file %s is not a 256-bit key in base64", keyEncryptionKeyFile.get());
            return Optional.empty();
        }
    }
}
