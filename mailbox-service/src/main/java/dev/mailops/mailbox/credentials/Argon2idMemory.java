package dev.mailops.mailbox.credentials;

import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.jna.Callback;
import com.sun.jna.CallbackReference;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

import de.mkammerer.argon2.jna.Argon2Library;
import de.mkammerer.argon2.jna.Argon2_context;
import de.mkammerer.argon2.jna.Argon2_version;
import de.mkammerer.argon2.jna.JnaUint32;
import de.mkammerer.argon2.jna.Size_t;

/**
 * Argon2id in the reference C implementation (argon2-jvm's bindings), its working memory kept from one
 * hash to the next. Left to itself the library mallocs each hash's memory (19 MiB at the configured cost)
 * and frees it; with two hashes at once glibc serves them from a new heap of a thread arena and unmaps the
 * heap when both are freed, so every hash faulted all its pages in again: a sixth of mailbox-service's CPU
 * per created mailbox. Here a hash borrows a block a finished hash gave back (the library's allocation
 * callbacks), and {@link #freeIdle} frees the blocks nobody used for a while, so an idle service gives the
 * memory back. The library wipes a block before it hands it back.
 */
final class Argon2idMemory {

    private static final int ARGON2_VERSION_13 = 0x13;
    private static final int ARGON2_FLAG_CLEAR_PASSWORD = 1;

    private final Deque<Block> idle = new ConcurrentLinkedDeque<>();
    private final AtomicLong allocations = new AtomicLong();

    byte[] hash(byte[] password, byte[] salt, int memoryKiB, int iterations, int parallelism, int length) {
        Block block = borrow();
        try {
            Memory out = new Memory(length);
            Argon2_context.ByReference context = new Argon2_context.ByReference();
            context.out = out;
            context.outlen = new JnaUint32(length);
            context.pwd = copy(password);
            context.pwdlen = new JnaUint32(password.length);
            context.salt = copy(salt);
            context.saltlen = new JnaUint32(salt.length);
            context.secretlen = new JnaUint32(0);
            context.adlen = new JnaUint32(0);
            context.t_cost = new JnaUint32(iterations);
            context.m_cost = new JnaUint32(memoryKiB);
            context.lanes = new JnaUint32(parallelism);
            context.threads = new JnaUint32(parallelism);
            context.version = new Argon2_version(ARGON2_VERSION_13);
            context.allocate_cbk = block.allocatePointer;
            context.free_cbk = block.freePointer;
            context.flags = new JnaUint32(ARGON2_FLAG_CLEAR_PASSWORD);
            int result = Argon2Library.INSTANCE.argon2id_ctx(context);
            if (result != Argon2Library.ARGON2_OK) {
                throw new IllegalArgumentException("Argon2id: " + Argon2Library.INSTANCE.argon2_error_message(result));
            }
            return out.getByteArray(0, length);
        } finally {
            block.lastUsed = Instant.now();
            idle.addFirst(block);
        }
    }

    /** Frees the blocks no hash has used since {@code now - unusedFor}. */
    void freeIdle(Instant now, Duration unusedFor) {
        for (Block block : idle) {
            if (block.lastUsed.isBefore(now.minus(unusedFor)) && idle.removeFirstOccurrence(block)) {
                block.free();
            }
        }
    }

    /** Blocks allocated so far: a block is allocated when no idle one is large enough. */
    long allocations() {
        return allocations.get();
    }

    int idleBlocks() {
        return idle.size();
    }

    /** The most recently used block first: the others age out. */
    private Block borrow() {
        Block block = idle.pollFirst();
        return block != null ? block : new Block();
    }

    private static Memory copy(byte[] bytes) {
        Memory memory = new Memory(Math.max(1, bytes.length));
        memory.write(0, bytes, 0, bytes.length);
        return memory;
    }

    /** argon2.h: {@code typedef int (*allocate_fptr)(uint8_t **memory, size_t bytes_to_allocate);} */
    public interface Allocate extends Callback {
        int invoke(PointerByReference memory, Size_t bytes);
    }

    /** argon2.h: {@code typedef void (*deallocate_fptr)(uint8_t *memory, size_t bytes_to_allocate);} */
    public interface Deallocate extends Callback {
        void invoke(Pointer memory, Size_t bytes);
    }

    private final class Block {
        private long address;
        private long size;
        volatile Instant lastUsed = Instant.now();
        // Held here: JNA frees a callback's native stub once its Java object is unreachable.
        private final Allocate allocate = (memory, bytes) -> {
            memory.setValue(reserve(bytes.longValue()));
            return Argon2Library.ARGON2_OK;
        };
        private final Deallocate deallocate = (memory, bytes) -> {
            // kept for the next hash; the library has already wiped it
        };
        final Pointer allocatePointer = CallbackReference.getFunctionPointer(allocate);
        final Pointer freePointer = CallbackReference.getFunctionPointer(deallocate);

        private Pointer reserve(long bytes) {
            if (bytes > size) {
                free();
                address = Native.malloc(bytes);
                if (address == 0) {
                    return null; // the library answers ARGON2_MEMORY_ALLOCATION_ERROR
                }
                size = bytes;
                allocations.incrementAndGet();
            }
            return new Pointer(address);
        }

        void free() {
            if (address != 0) {
                Native.free(address);
                address = 0;
                size = 0;
            }
        }
    }
}
