package dev.mailops.mailhost.messaging;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;

import dev.mailops.consumer.EventConsumption;
import dev.mailops.mailhost.hosting.MailHostProjection;
import dev.mailops.mailhost.hosting.MailboxEvents;

/**
 * Consumes mailbox.events in mailhost-service's own group, a poll per transaction in offset order (so
 * per tenant in order), each event exactly once, poison to the dead-letter topic (see {@link EventConsumption}).
 */
@ApplicationScoped
public class MailboxEventsConsumer {

    @Inject
    EventConsumption consumption;
    @Inject
    MailHostProjection projection;

    @Incoming("mailbox-events")
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
        return consumption.process(batch, MailboxEvents.HANDLED_TYPES, projection);
    }
}
