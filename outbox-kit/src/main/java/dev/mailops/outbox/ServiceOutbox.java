package dev.mailops.outbox;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * A service's outbox with its relay, started with the service and stopped with it. A service
 * subclasses it as a bean that names itself and injects the emitter of its topic's channel
 * (settings: {@code <service>.outbox.*}). A further outbox of the same service, for another topic,
 * also names itself ({@link #name()}, settings {@code <name>.outbox.*}) and its {@link #table()}.
 */
public abstract class ServiceOutbox {

    @Inject
    Outboxes outboxes;

    private OutboxRelay relay;

    /** The service's name: its events' CloudEvents source, and the name of its first outbox. */
    protected abstract String service();

    /** The outbox's name: its NOTIFY channel, settings, metrics tag and relay lock follow from it. */
    protected String name() {
        return service();
    }

    /** The emitter of the channel the relay sends to. */
    protected abstract MutinyEmitter<String> emitter();

    /** Makes the tables of a subclass that names its own. */
    protected final Outboxes outboxes() {
        return outboxes;
    }

    /** The table {@link #append} writes to; by default the service's {@code outbox}. */
    protected OutboxTable table() {
        return outboxes.table(service());
    }

    /** Where the relay reads; by default {@link #table()}. */
    protected OutboxSource source() {
        return table();
    }

    void onStart(@Observes StartupEvent event) {
        relay = outboxes.relay(service(), name(), source(), emitter());
    }

    void onStop(@Observes ShutdownEvent event) {
        relay.stop();
    }

    /** Writes the event to the outbox's table, in the caller's transaction. */
    public void append(OutgoingEvent event) {
        table().append(event);
    }

    public void start() {
        relay.start();
    }

    /** Stops after the batch in flight; unpublished events stay in the outbox for the next start. */
    public void stop() {
        relay.stop();
    }
}
