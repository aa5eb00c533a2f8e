package dev.mailops.mailbox.credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.scheduler.Scheduled;

/**
 * Argon2id password hashes in the PHC string format that Dovecot verifies as its {@code ARGON2ID}
 * scheme ({@code {ARGON2ID}$argon2id$v=19$m=...,t=...,p=...$salt$hash}), so the mail provider can
 * take them over as they are. Hashing is slow on purpose: call it outside database transactions and
 * never on an event-loop thread. At most one hash per core runs at a time (more only share the cores
 * and multiply the memory each needs); further callers queue. The hash runs in the reference C
 * implementation (argon2-jvm): twice the speed of a Java one here, and its memory is native, so the heap
 * stays small; that memory is kept for the next hash and given back after {@link #KEEP_IDLE_MEMORY} unused
 * ({@link Argon2idMemory}).
 */
@ApplicationScoped
public class PasswordHasher {

    static final String SCHEME_PREFIX = "{ARGON2ID}";
    private static final Pattern PHC = Pattern.compile(
            "\\{ARGON2ID}\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    static final Duration KEEP_IDLE_MEMORY = Duration.ofSeconds(10);

    private final SecureRandom random = new SecureRandom();
    private final int memoryKiB;
    private final int iterations;
    private final int parallelism;
    private final Semaphore hashingSlots;
    private final Argon2idMemory memory = new Argon2idMemory();

    public PasswordHasher(
            @ConfigProperty(name = "mailbox.password.argon2.memory-kib", defaultValue = "19456") int memoryKiB,
            @ConfigProperty(name = "mailbox.password.argon2.iterations", defaultValue = "2") int iterations,
            @ConfigProperty(name = "mailbox.password.argon2.parallelism", defaultValue = "1") int parallelism,
            @ConfigProperty(name = "mailbox.password.concurrent-hashes") Optional<Integer> concurrentHashes) {
        this.hashingSlots = new Semaphore(concurrentHashes.orElse(Runtime.getRuntime().availableProcessors()), true);
        this.memoryKiB = memoryKiB;
        this.iterations = iterations;
        this.parallelism = parallelism;
    }

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = argon2(password, salt, memoryKiB, iterations, parallelism, HASH_BYTES);
        return SCHEME_PREFIX + "$argon2id$v=19$m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    public boolean verify(String password, String encoded) {
        Matcher phc = PHC.matcher(encoded);
        if (!phc.matches()) {
            return false;
        }
        byte[] expected = B64_DECODER.decode(phc.group(5));
        byte[] actual = argon2(password, B64_DECODER.decode(phc.group(4)), Integer.parseInt(phc.group(1)),
                Integer.parseInt(phc.group(2)), Integer.parseInt(phc.group(3)), expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    @Scheduled(every = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void freeIdleMemory() {
        memory.freeIdle(Instant.now(), KEEP_IDLE_MEMORY);
    }

    private byte[] argon2(String password, byte[] salt, int memoryKiB, int iterations, int parallelism, int length) {
        hashingSlots.acquireUninterruptibly();
        try {
            return memory.hash(password.getBytes(StandardCharsets.UTF_8), salt, memoryKiB, iterations, parallelism,
                    length);
        } finally {
            hashingSlots.release();
        }
    }
}
