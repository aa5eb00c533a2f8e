package dev.mailops.bench.replay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.mailops.testinfra.LocalInfrastructure;

/**
 * A long, valid history of mailbox.events, written straight to the topic the way mailbox-service's
 * relay writes it (binary CloudEvents, the same headers, keyed by tenant, each value valid against its
 * published schema): domains, mailboxes created and deleted, aliases and basic fee changes of many
 * tenants. Generating a million events through the API would take hours of password hashing. The
 * benchmark also uses it to feed the consumers at a fixed rate without the command path in front.
 */
public final class SyntheticHistory {

    private static final String[] PLANS = { "BUSINESS_RESELLER", "BUSINESS_SUPPORT", "BUSINESS_PREMIUM" };
    private static final String[] RATES = { "MAIL_LIGHT", "MAIL_STANDARD", "MAIL_PREMIUM" };

    private record Mailbox(String id, String address, String rate, List<String> aliases) {
    }

    private static final class Tenant {
        final String id;
        final String domain;
        final List<Mailbox> mailboxes = new ArrayList<>();
        int plan;
        int tenantVersion;

        Tenant(String id, String domain) {
            this.id = id;
            this.domain = domain;
        }
    }

    private final Random random = new Random(42);
    private final String topic;
    private long position;
    private Instant time = Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);

    public SyntheticHistory(String topic) {
        this.topic = topic;
    }

    /** Writes {@code events} events of {@code tenants} tenants as fast as it can; returns the seconds that took. */
    double write(long events, int tenants, String run) {
        long start = System.nanoTime();
        try (KafkaProducer<String, String> producer = producer(20)) {
            List<Tenant> all = tenants(producer, Math.min(tenants, events), "replay-" + run);
            while (position < events) {
                Tenant tenant = all.get(random.nextInt(all.size()));
                int dice = random.nextInt(100);
                if (dice < 30 || tenant.mailboxes.isEmpty()) {
                    create(producer, tenant);
                } else if (dice < 60) {
                    addAlias(producer, tenant);
                } else if (dice < 80) {
                    changeFee(producer, tenant);
                } else {
                    delete(producer, tenant);
                }
            }
            producer.flush();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * The open model's mix as events, at a fixed rate for the given time, sent one by one the way the
     * outbox relay sends them (no linger): 55 % AliasAdded (which billing and DNS skip), 30 % FeeChanged
     * (a contract revision), 15 % DomainAdded of a new domain (a zone). Each tenant gets a domain and a
     * mailbox first, unpaced. Tenant ids start with {@code tenantPrefix}.
     */
    public void writePaced(int tenants, String tenantPrefix, double perSecond, Duration duration) {
        try (KafkaProducer<String, String> producer = producer(0)) {
            List<Tenant> all = tenants(producer, tenants, tenantPrefix);
            all.forEach(tenant -> create(producer, tenant));
            producer.flush();
            long count = (long) (perSecond * duration.toSeconds());
            long start = System.nanoTime();
            for (long i = 0; i < count; i++) {
                long due = start + (long) (i * 1e9 / perSecond);
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(due - System.nanoTime());
                }
                Tenant tenant = all.get(random.nextInt(all.size()));
                int dice = random.nextInt(100);
                if (dice < 55) {
                    addAlias(producer, tenant);
                } else if (dice < 85) {
                    changeFee(producer, tenant);
                } else {
                    String domain = "d" + position + "-" + tenantPrefix + ".replay.example";
                    send(producer, tenant, "DomainAdded", "MailDomain", domain, 1, "{\"domain\":\"" + domain + "\"}");
                }
            }
            producer.flush();
        }
    }

    private List<Tenant> tenants(KafkaProducer<String, String> producer, long tenants, String prefix) {
        List<Tenant> all = new ArrayList<>();
        for (int t = 0; t < tenants; t++) {
            Tenant tenant = new Tenant(prefix + "-t" + t, "t" + t + "-" + prefix + ".replay.example");
            all.add(tenant);
            send(producer, tenant, "DomainAdded", "MailDomain", tenant.domain, 1,
                    "{\"domain\":\"" + tenant.domain + "\"}");
        }
        return all;
    }

    private static KafkaProducer<String, String> producer(int lingerMs) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfrastructure.kafkaBootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(lingerMs));
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(config);
    }

    private void create(KafkaProducer<String, String> producer, Tenant tenant) {
        String id = UUID.randomUUID().toString();
        String local = "m" + position;
        Mailbox mailbox = new Mailbox(id, local + "@" + tenant.domain, RATES[random.nextInt(RATES.length)], new ArrayList<>());
        tenant.mailboxes.add(mailbox);
        send(producer, tenant, "MailboxCreated", "Mailbox", id, 1, """
                {"mailboxId":"%s","address":"%s","localPart":"%s","domain":"%s","firstName":"Replay","lastName":"Load",\
                "systemUserId":"replay","forwardTo":[],"keepCopy":false,"rate":"%s"}""".formatted(id, mailbox.address(),
                local, tenant.domain, mailbox.rate()));
    }

    private void addAlias(KafkaProducer<String, String> producer, Tenant tenant) {
        Mailbox mailbox = tenant.mailboxes.get(random.nextInt(tenant.mailboxes.size()));
        String alias = "a" + position + "@" + tenant.domain;
        mailbox.aliases().add(alias);
        send(producer, tenant, "AliasAdded", "Mailbox", mailbox.id(), 1 + mailbox.aliases().size(),
                "{\"mailboxId\":\"" + mailbox.id() + "\",\"alias\":\"" + alias + "\"}");
    }

    private void changeFee(KafkaProducer<String, String> producer, Tenant tenant) {
        int next = (tenant.plan + 1 + random.nextInt(PLANS.length - 1)) % PLANS.length;
        send(producer, tenant, "FeeChanged", "Tenant", tenant.id, ++tenant.tenantVersion,
                "{\"oldPlan\":\"" + PLANS[tenant.plan] + "\",\"newPlan\":\"" + PLANS[next] + "\"}");
        tenant.plan = next;
    }

    private void delete(KafkaProducer<String, String> producer, Tenant tenant) {
        Mailbox mailbox = tenant.mailboxes.remove(random.nextInt(tenant.mailboxes.size()));
        StringBuilder aliases = new StringBuilder();
        mailbox.aliases().forEach(alias -> aliases.append(aliases.isEmpty() ? "" : ",").append('"').append(alias).append('"'));
        send(producer, tenant, "MailboxDeleted", "Mailbox", mailbox.id(), 2 + mailbox.aliases().size(), """
                {"mailboxId":"%s","address":"%s","aliases":[%s],"rate":"%s","blockedUntil":"%s"}""".formatted(
                mailbox.id(), mailbox.address(), aliases, mailbox.rate(), time.plus(48, ChronoUnit.HOURS)));
    }

    private void send(KafkaProducer<String, String> producer, Tenant tenant, String type, String aggregateType,
            String aggregateId, int version, String data) {
        position++;
        time = time.plusMillis(1);
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, tenant.id, data);
        header(record, "ce_specversion", "1.0");
        header(record, "ce_id", UUID.randomUUID().toString());
        header(record, "ce_type", type);
        header(record, "ce_source", "/mailops/mailbox-service");
        header(record, "ce_subject", aggregateId);
        header(record, "ce_datacontenttype", "application/json");
        header(record, "content-type", "application/json");
        header(record, "ce_dataschema", "urn:mailops:schema:mailbox-events:" + type + ":v1");
        header(record, "ce_time", time.toString());
        header(record, "ce_aggregateid", aggregateId);
        header(record, "ce_aggregateversion", String.valueOf(version));
        header(record, "ce_tenantid", tenant.id);
        header(record, "ce_correlationid", "replay-" + position);
        header(record, "ce_position", String.valueOf(position));
        header(record, "ce_aggregatetype", aggregateType);
        producer.send(record, (metadata, failure) -> {
            if (failure != null) {
                throw new IllegalStateException("Could not write the synthetic history", failure);
            }
        });
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
