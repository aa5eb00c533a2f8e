package dev.mailops.consumer;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * What a consumer does with each record: a record that can never be processed is nacked, which the
 * channel's dead-letter-queue strategy turns into a copy on the dead-letter topic with the reason in
 * its headers; any other failure (database, broker) is retried with backoff while the record holds its
 * partition, so nothing is skipped and the order stays. The record is acknowledged (its offset may be
 * committed) only after the handler returned. While the service shuts down a record is neither
 * acknowledged nor nacked, so it is consumed again after the restart.
 */
@ApplicationScoped
public class EventConsumption {

    private static final Logger LOG = Logger.getLogger(EventConsumption.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    @Inject
    CloudEventReader reader;

    @Inject
    MeterRegistry meters;

    private volatile boolean running = true;

    void onStop(@Observes ShutdownEvent event) {
        running = false;
    }

    public CompletionStage<Void> process(Message<String> message, Set<String> handledTypes, Consumer<CloudEvent> handler) {
        @SuppressWarnings("unchecked")
        IncomingKafkaRecordMetadata<String, String> record = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("not a Kafka record"));
        if (CloudEventReader.ignorable(record.getHeaders(), handledTypes)) {
            // Nothing this consumer acts on: acknowledged without parsing, checking or a transaction.
            meters.counter("events.skipped", "topic", record.getTopic()).increment();
            return message.ack();
        }
        CloudEvent event;
        try {
            event = reader.read(record.getHeaders(), record.getKey(), message.getPayload(), handledTypes);
        } catch (PoisonRecordException e) {
            LOG.errorf("Dead-lettering %s-%d@%d: %s", record.getTopic(), record.getPartition(), record.getOffset(),
                    e.getMessage());
            meters.counter("events.dead-lettered", "topic", record.getTopic()).increment();
            return message.nack(e);
        }
        Duration backoff = FIRST_BACKOFF;
        while (running) {
            try {
                handler.accept(event);
                meters.counter("events.consumed", "topic", record.getTopic(), "type", event.type()).increment();
                return message.ack();
            } catch (RuntimeException e) {
                LOG.warnf(e, "Could not apply %s %s; retrying in %s", event.type(), event.id(), backoff);
                meters.counter("events.retried", "topic", record.getTopic()).increment();
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        return new CompletableFuture<>();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
