package dev.mailops.mailbox.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;

import dev.mailops.outbox.OutboxRelay;
import dev.mailops.outbox.Outboxes;

/** The relay from the event store's outbox to {@code mailbox.events} (settings: {@code mailbox.outbox.*}). */
@ApplicationScoped
public class MailboxEventsRelay {

    @Inject
    @Channel("mailbox-events")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    MutinyEmitter<String> emitter;
    @Inject
    Outboxes outboxes;

    private OutboxRelay relay;

    void onStart(@Observes StartupEvent event) {
        relay = outboxes.relay("mailbox", new EventStoreOutbox(), emitter);
    }

    void onStop(@Observes ShutdownEvent event) {
        relay.stop();
    }

    public void start() {
        relay.start();
    }

    /** Stops after the batch in flight; unpublished events stay in the outbox for the next start. */
    public void stop() {
        relay.stop();
    }
}
