package dev.mailops.mailbox.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.smallrye.reactive.messaging.MutinyEmitter;

import dev.mailops.outbox.OutboxSource;
import dev.mailops.outbox.ServiceOutbox;

/**
 * The relay from the event store's outbox to {@code mailbox.events} (settings: {@code mailbox.outbox.*}).
 * The event store's append writes the outbox rows itself; nothing is appended here.
 */
@ApplicationScoped
public class MailboxEventsRelay extends ServiceOutbox {

    @Inject
    @Channel("mailbox-events")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    MutinyEmitter<String> emitter;

    @Override
    protected String service() {
        return "mailbox";
    }

    @Override
    protected MutinyEmitter<String> emitter() {
        return emitter;
    }

    @Override
    protected OutboxSource source() {
        return new EventStoreOutbox();
    }
}
