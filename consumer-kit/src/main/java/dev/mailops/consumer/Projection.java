package dev.mailops.consumer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** What a consuming service does with the events it handles; driven by {@link EventConsumption}. */
@FunctionalInterface
public interface Projection {

    /**
     * Applies the event exactly once (by its id, see {@link ProcessedEvents}) inside the caller's
     * transaction, which may hold other events of the same poll. Returns what to publish once that
     * transaction has committed; for a redelivery, the re-publication of what the first delivery caused.
     */
    AfterCommit apply(CloudEvent event);

    /** Work that must follow the commit, such as publishing the change the event caused. */
    @FunctionalInterface
    interface AfterCommit {
        AfterCommit NOTHING = () -> CompletableFuture.completedFuture(null);

        /** Starts the work; a batch starts all of its work in order, then awaits it together. */
        CompletionStage<?> start();
    }
}
