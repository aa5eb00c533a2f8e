package dev.mailops.testinfra;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * Publishes mailbox events the way mailbox-service does (CloudEvents in Kafka binary mode, keyed by
 * tenant), built from the published contract rather than from mailbox-service's classes.
 */
public final class MailboxEventsFixture implements AutoCloseable {


    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event as sent; {@code id} is its ce_id. */
    public record Sent(UUID id, String type, String tenant, String subject, Instant time, String value) {
    }

    private final String topic;
    private final KafkaProducer<String, String> producer;
    private final List<Sent> sent = java.util.Collections.synchronizedList(new ArrayList<>());

    /** Publishes to the topic a consumer reads under its test profile. */
    public static MailboxEventsFixture forConsumedTopic() {
        return new MailboxEventsFixture(ConfigProvider.getConfig()
                .getValue("mp.messaging.incoming.mailbox-events.topic", String.class));
    }

    public MailboxEventsFixture(String topic) {
        this(topic, null);
    }

    /**
     * A fixture whose {@link #inOneTransaction} writes records atomically, so a read_committed consumer
     * sees them together, in one poll.
     */
    public static MailboxEventsFixture transactional(String topic) {
        return new MailboxEventsFixture(topic, "fixture-" + UUID.randomUUID());
    }

    private MailboxEventsFixture(String topic, String transactionalId) {
        this.topic = topic;
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        producer = new KafkaProducer<>(config);
        if (transactionalId != null) {
            producer.initTransactions();
        }
    }

    /** Sends what {@code sends} sends in one Kafka transaction (only for a {@link #transactional} fixture). */
    public void inOneTransaction(Runnable sends) {
        producer.beginTransaction();
        try {
            sends.run();
            producer.commitTransaction();
        } catch (RuntimeException e) {
            producer.abortTransaction();
            throw e;
        }
    }

    public Sent mailboxCreated(String tenant, UUID mailboxId, String address, String rate, Instant time) {
        return mailboxCreated(tenant, mailboxId, address, rate, List.of(), false, time);
    }

    /** A mailbox created with forwarding: to {@code forwardTo}, and into the mailbox too when {@code keepCopy}. */
    public Sent mailboxCreated(String tenant, UUID mailboxId, String address, String rate, List<String> forwardTo,
            boolean keepCopy, Instant time) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("mailboxId", mailboxId.toString());
        data.put("address", address);
        data.put("localPart", address.substring(0, address.indexOf('@')));
        data.put("domain", address.substring(address.indexOf('@') + 1));
        data.put("firstName", "Anna");
        data.put("lastName", "Berg");
        data.put("systemUserId", "u-1");
        data.put("forwardTo", forwardTo);
        data.put("keepCopy", keepCopy);
        data.put("rate", rate);
        return send(tenant, "MailboxCreated", mailboxId.toString(), time, json(data));
    }

    public Sent mailboxDeleted(String tenant, UUID mailboxId, String address, String rate, Instant time) {
        return mailboxDeleted(tenant, mailboxId, address, rate, List.of(), time);
    }

    /** A mailbox deleted with its aliases, each of which the deletion blocks too. */
    public Sent mailboxDeleted(String tenant, UUID mailboxId, String address, String rate, List<String> aliases,
            Instant time) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("mailboxId", mailboxId.toString());
        data.put("address", address);
        data.put("aliases", aliases);
        data.put("rate", rate);
        data.put("blockedUntil", time.plusSeconds(48 * 3600).toString());
        return send(tenant, "MailboxDeleted", mailboxId.toString(), time, json(data));
    }

    public Sent feeChanged(String tenant, String oldPlan, String newPlan, Instant time) {
        return send(tenant, "FeeChanged", tenant, time, json(Map.of("oldPlan", oldPlan, "newPlan", newPlan)));
    }

    public Sent domainAdded(String tenant, String domain, Instant time) {
        return send(tenant, "DomainAdded", domain, time, json(Map.of("domain", domain)));
    }

    public Sent aliasAdded(String tenant, UUID mailboxId, String alias, Instant time) {
        return send(tenant, "AliasAdded", mailboxId.toString(), time,
                json(Map.of("mailboxId", mailboxId.toString(), "alias", alias)));
    }

    public Sent send(String tenant, String type, String subject, Instant time, String value) {
        return send(tenant, UUID.randomUUID(), type, subject, time, value);
    }

    /** Sends a record with full control of id and value, e.g. a redelivery or a poison message. */
    public Sent send(String tenant, UUID id, String type, String subject, Instant time, String value) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", id.toString());
        header(headers, "ce_source", "/mailops/mailbox-service");
        header(headers, "ce_type", type);
        header(headers, "ce_subject", subject);
        header(headers, "ce_time", time.toString());
        header(headers, "ce_dataschema", "urn:mailops:schema:mailbox-events:" + type + ":v1");
        header(headers, "content-type", "application/json");
        header(headers, "ce_tenantid", tenant);
        try {
            producer.send(new ProducerRecord<>(topic, null, tenant, value, headers)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not publish " + type, e);
        }
        Sent record = new Sent(id, type, tenant, subject, time, value);
        sent.add(record);
        return record;
    }

    public void resend(Sent record) {
        send(record.tenant(), record.id(), record.type(), record.subject(), record.time(), record.value());
    }

    public List<Sent> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String json(Object data) {
        try {
            return JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
