package dev.mailops.mailbox.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

class Argon2idMemoryTest {

    private static final byte[] SALT = "sixteen byte salt".getBytes(StandardCharsets.UTF_8);

    private final Argon2idMemory memory = new Argon2idMemory();

    @Test
    void hashesAsAnIndependentImplementationDoesAtEveryCostWhileReusingItsBlock() {
        for (int[] cost : new int[][] { { 4096, 1, 1 }, { 4096, 3, 1 }, { 8192, 2, 2 }, { 4096, 1, 1 } }) {
            byte[] hash = memory.hash(bytes("Correct-Horse-9"), SALT, cost[0], cost[1], cost[2], 32);

            assertThat(hash).as("m=%d,t=%d,p=%d", cost[0], cost[1], cost[2])
                    .isEqualTo(bouncyCastle("Correct-Horse-9", cost[0], cost[1], cost[2]));
        }
        // one block, grown once for the larger cost and reused for the smaller one after it
        assertThat(memory.allocations()).isEqualTo(2);
        assertThat(memory.idleBlocks()).isEqualTo(1);
    }

    @Test
    void hashesOneAfterAnotherShareOneBlockAndConcurrentOnesOneEach() throws Exception {
        for (int i = 0; i < 5; i++) {
            memory.hash(bytes("password-" + i), SALT, 4096, 1, 1, 32);
        }
        assertThat(memory.allocations()).isEqualTo(1);

        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            List<Future<byte[]>> hashes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String password = "password-" + i;
                hashes.add(two.submit(() -> memory.hash(bytes(password), SALT, 4096, 1, 1, 32)));
            }
            for (int i = 0; i < 20; i++) {
                assertThat(hashes.get(i).get()).isEqualTo(bouncyCastle("password-" + i, 4096, 1, 1));
            }
        } finally {
            two.shutdown();
        }
        assertThat(memory.allocations()).isBetween(1L, 2L);
    }

    @Test
    void freesTheBlocksUnusedForTheGivenTimeAndAllocatesAgainWhenNeeded() {
        memory.hash(bytes("Correct-Horse-9"), SALT, 4096, 1, 1, 32);

        memory.freeIdle(Instant.now().minusSeconds(60), Duration.ofSeconds(10));
        assertThat(memory.idleBlocks()).as("used within the last 10 s").isEqualTo(1);

        memory.freeIdle(Instant.now().plusSeconds(11), Duration.ofSeconds(10));
        assertThat(memory.idleBlocks()).isZero();

        assertThat(memory.hash(bytes("Correct-Horse-9"), SALT, 4096, 1, 1, 32))
                .isEqualTo(bouncyCastle("Correct-Horse-9", 4096, 1, 1));
        assertThat(memory.allocations()).isEqualTo(2);
    }

    @Test
    void aCostTheLibraryRefusesIsAnErrorAndTheBlockStaysUsable() {
        assertThatThrownBy(() -> memory.hash(bytes("Correct-Horse-9"), SALT, 4, 1, 1, 32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Memory cost is too small");

        assertThat(memory.hash(bytes("Correct-Horse-9"), SALT, 4096, 1, 1, 32))
                .isEqualTo(bouncyCastle("Correct-Horse-9", 4096, 1, 1));
    }

    private static byte[] bouncyCastle(String password, int memoryKiB, int iterations, int parallelism) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(memoryKiB).withIterations(iterations)
                .withParallelism(parallelism).withSalt(SALT).build());
        byte[] hash = new byte[32];
        generator.generateBytes(bytes(password), hash);
        return hash;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
