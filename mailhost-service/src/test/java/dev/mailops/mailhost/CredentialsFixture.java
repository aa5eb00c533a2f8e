package dev.mailops.mailhost;

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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.testinfra.TestInfrastructure;

/**
 * Publishes to mailbox.credentials as the contract says mailbox-service does: key = mailbox id,
 * CloudEvents headers, value a MailboxCredential, or a null value (a tombstone); and a domain's sealed
 * DKIM private key under the key dkim:&lt;keyId&gt;.
 */
final class CredentialsFixture implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topic;
    private final KafkaProducer<String, String> producer;

    CredentialsFixture(String topic) {
        this.topic = topic;
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(config);
    }

    /** The credential of a password, hashed as mailbox-service hashes it. */
    void password(UUID mailboxId, String address, String password) {
        hash(mailboxId, address, DovecotPasswords.hash(password));
    }

    void hash(UUID mailboxId, String address, String passwordHash) {
        try {
            send(mailboxId.toString(), JSON.writeValueAsString(java.util.Map.of("mailboxId", mailboxId.toString(),
                    "address", address, "passwordHash", passwordHash)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    void tombstone(UUID mailboxId) {
        send(mailboxId.toString(), null);
    }

    /** A domain's DKIM private key, sealed as mailbox-service seals it (record key dkim:<keyId>). */
    void dkimKey(DkimKeys.Pair key) {
        try {
            send("dkim:" + key.keyId(), JSON.writeValueAsString(java.util.Map.of("keyId", key.keyId().toString(),
                    "domain", key.domain(), "selector", key.selector(), "algorithm", key.algorithm(),
                    "encryption", "A256GCM", "sealedPrivateKey", key.sealedPrivateKey())), "DkimPrivateKey", key.keyId().toString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    void dkimTombstone(UUID keyId) {
        send("dkim:" + keyId, null, "DkimPrivateKey", keyId.toString());
    }

    /** Any key and value, e.g. a poison record. */
    void send(String key, String value) {
        send(key, value, "MailboxCredential", key);
    }

    void send(String key, String value, String type, String subject) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", UUID.randomUUID().toString());
        header(headers, "ce_source", "/mailops/mailbox-service");
        header(headers, "ce_type", type);
        header(headers, "ce_subject", subject);
        header(headers, "ce_time", Instant.now().toString());
        header(headers, "ce_dataschema", "urn:mailops:schema:mailbox-credentials:" + type + ":v1");
        header(headers, "content-type", "application/json");
        try {
            producer.send(new ProducerRecord<>(topic, null, key, value, headers)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not publish a credential", e);
        }
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close();
    }
}
