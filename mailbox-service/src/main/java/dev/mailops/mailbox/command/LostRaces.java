package dev.mailops.mailbox.command;

import java.util.function.Supplier;

import dev.mailops.mailbox.domain.RuleViolation;
import dev.mailops.mailbox.store.StreamConflictException;

/** The one retry of a command's transaction that lost a race ({@link StreamConflictException#lostRace}). */
final class LostRaces {

    static final int MAX_ATTEMPTS = 3;

    private LostRaces() {
    }

    /**
     * Runs the transaction, again when another one on the same rows came first (it then decides on what
     * that one left); after {@link #MAX_ATTEMPTS} lost races, 409 {@code concurrent-modification} with
     * {@code detail}.
     */
    static <T> T retried(Supplier<T> transaction, String detail) {
        for (int attempt = 1;; attempt++) {
            try {
                return transaction.get();
            } catch (RuntimeException e) {
                if (!StreamConflictException.lostRace(e)) {
                    throw e;
                }
                if (attempt == MAX_ATTEMPTS) {
                    throw new RuleViolation("concurrent-modification", "Concurrent modification", detail);
                }
            }
        }
    }
}
