package dev.mailops.outbox;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * A service's outbox with its relay, started with the service and stopped with it. A service
 * subclasses it as a bean that names itself and injects the emitter of its topic's channel
 * (settings: {@code <service>.outbox.*}).
 */
public abstract class ServiceOutbox {

    @Inject
    Outboxes outboxes;

    private OutboxRelay relay;

    /** The service's name: its NOTIFY channel, settings, metrics tag and relay lock follow from it. */
    protected abstract String service();

    /** The emitter of the channel the relay sends to. */
    protected abstract MutinyEmitter<String> emitter();

    /** Where the relay reads; by default the service's {@code outbox} table. */
    protected OutboxSource source() {
        return outboxes.table(service());
    }

    void onStart(@Observes StartupEvent event) {
        relay = outboxes.relay(service(), source(), emitter());
    }

    void onStop(@Observes ShutdownEvent event) {
        relay.stop();
    }

    /** Writes the event to the service's outbox table, in the caller's transaction. */
    public void append(OutgoingEvent event) {
        outboxes.table(service()).append(event);
    }

    public void start() {
        relay.start();
    }

    /** Stops after the batch in flight; unpublished events stay in the outbox for the next start. */
    public void stop() {
        relay.stop();
    }
}
