package dev.mailops.billing.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;

import dev.mailops.outbox.OutboxRelay;
import dev.mailops.outbox.OutboxTable;
import dev.mailops.outbox.Outboxes;
import dev.mailops.outbox.OutgoingEvent;

/** billing-service's outbox and its relay to {@code billing.events} (settings: {@code billing.outbox.*}). */
@ApplicationScoped
public class BillingOutbox {

    @Inject
    @Channel("billing-events")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    MutinyEmitter<String> emitter;
    @Inject
    Outboxes outboxes;

    private OutboxRelay relay;

    void onStart(@Observes StartupEvent event) {
        relay = outboxes.relay("billing", table(), emitter);
    }

    void onStop(@Observes ShutdownEvent event) {
        relay.stop();
    }

    /** Writes the event in the caller's transaction. */
    public void append(OutgoingEvent event) {
        table().append(event);
    }

    private OutboxTable table() {
        return outboxes.table("billing");
    }
}
