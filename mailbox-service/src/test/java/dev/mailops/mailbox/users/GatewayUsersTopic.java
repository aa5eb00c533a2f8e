package dev.mailops.mailbox.users;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import dev.mailops.testinfra.TestInfrastructure;

/**
 * Publishes the gateway's user events as the gateway's relay does (CloudEvents in Kafka binary mode,
 * keyed by tenant), from the published contract rather than from the gateway's classes, onto the topic
 * this service consumes under its test profile.
 */
final class GatewayUsersTopic implements AutoCloseable {

    /** One event as sent; {@code id} is its ce_id. */
    record Sent(UUID id, String type, String key, String tenant, String user, String value) {
    }

    static final String TOPIC = ConfigProvider.getConfig().getValue("mp.messaging.incoming.gateway-users.topic",
            String.class);
    static final String DEAD_LETTERS = ConfigProvider.getConfig()
            .getValue("mp.messaging.incoming.gateway-users.dead-letter-queue.topic", String.class);

    private final KafkaProducer<String, String> producer;

    GatewayUsersTopic() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(config);
    }

    Sent created(String tenant, String user) {
        return send(new Sent(UUID.randomUUID(), "UserCreated", tenant, tenant, user, """
                {"tenantId":"%s","userId":"%s","username":"%s","displayName":"Anna Berg","roles":["user"],\
                "createdAt":"%s"}""".formatted(tenant, user, user, Instant.now())));
    }

    Sent disabled(String tenant, String user) {
        return standing("UserDisabled", tenant, user);
    }

    Sent enabled(String tenant, String user) {
        return standing("UserEnabled", tenant, user);
    }

    private Sent standing(String type, String tenant, String user) {
        return send(new Sent(UUID.randomUUID(), type, tenant, tenant, user, """
                {"tenantId":"%s","userId":"%s","username":"%s"}""".formatted(tenant, user, user)));
    }

    /** Sends the record again, with its ce_id: a redelivery. */
    Sent send(Sent event) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", event.id().toString());
        header(headers, "ce_source", "/mailops/gateway");
        header(headers, "ce_type", event.type());
        header(headers, "ce_subject", event.user());
        header(headers, "ce_time", Instant.now().toString());
        header(headers, "ce_dataschema", "urn:mailops:schema:gateway-users:" + event.type() + ":v1");
        header(headers, "content-type", "application/json");
        header(headers, "ce_tenantid", event.tenant());
        try {
            producer.send(new ProducerRecord<>(TOPIC, null, event.key(), event.value(), headers)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot publish " + event.type(), e);
        }
        return event;
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close();
    }
}
