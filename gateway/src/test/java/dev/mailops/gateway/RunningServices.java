package dev.mailops.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.mailops.testinfra.LocalInfrastructure;
import dev.mailops.testinfra.ServiceProcess;

/**
 * The three services behind the gateway, as their packaged jars (the reactor builds them before the
 * gateway), on the shared Kafka and PostgreSQL, with their own databases and topics for this run.
 */
public class RunningServices implements QuarkusTestResourceLifecycleManager {

    public static final String GATEWAY_TOKEN = "test-gateway-token-" + UUID.randomUUID();
    static ServiceProcess mailbox;
    static ServiceProcess billing;
    static ServiceProcess dns;
    /** The mailbox.events topic of this run, and the port of dns-service's DNS server. */
    static String eventsTopic;
    static String billingTopic;
    static String dnsTopic;
    static int dnsPort;

    @Override
    public synchronized Map<String, String> start() {
        LocalInfrastructure.ensureStarted();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String events = "gw-" + run + ".mailbox.events";
        eventsTopic = events;
        billingTopic = "gw-" + run + ".billing.events";
        dnsTopic = "gw-" + run + ".dns.events";
        dnsPort = ServiceProcess.freePort();
        mailbox = start("mailbox-service", "gw_mailbox_test", Map.of(
                "mp.messaging.outgoing.mailbox-events.topic", events,
                // a short quarantine, so the end-to-end test sees a deleted address released
                "mailbox.address-quarantine", "PT4S",
                "mailbox.address-release.interval", "1s"));
        billing = start("billing-service", "gw_billing_test", Map.of(
                "mp.messaging.incoming.mailbox-events.topic", events,
                "mp.messaging.incoming.mailbox-events.group.id", "billing-" + run,
                "mp.messaging.incoming.mailbox-events.dead-letter-queue.topic", events + ".billing-dlq",
                "mp.messaging.outgoing.billing-events.topic", billingTopic));
        dns = start("dns-service", "gw_dns_test", Map.of(
                "mp.messaging.incoming.mailbox-events.topic", events,
                "mp.messaging.incoming.mailbox-events.group.id", "dns-" + run,
                "mp.messaging.incoming.mailbox-events.dead-letter-queue.topic", events + ".dns-dlq",
                "mp.messaging.outgoing.dns-events.topic", dnsTopic,
                "dns.server.port", String.valueOf(dnsPort)));
        return Map.of(
                "gateway.backends.mailbox", "http://127.0.0.1:" + mailbox.httpPort(),
                "gateway.backends.billing", "http://127.0.0.1:" + billing.httpPort(),
                "gateway.backends.dns", "http://127.0.0.1:" + dns.httpPort(),
                "mailops.gateway-token", GATEWAY_TOKEN,
                "mp.messaging.incoming.mailbox-feed.topic", events);
    }

    private static ServiceProcess start(String module, String database, Map<String, String> extra) {
        Path jar = LocalInfrastructure.repositoryRoot().resolve(module + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the services first (./mvnw verify builds them "
                    + "before the gateway)");
        }
        LocalInfrastructure.ensureDatabase(database);
        Map<String, String> properties = new HashMap<>(extra);
        properties.put("quarkus.datasource.jdbc.url", LocalInfrastructure.jdbcUrl(database));
        properties.put("quarkus.datasource.username", LocalInfrastructure.pgUser());
        properties.put("quarkus.datasource.password", LocalInfrastructure.pgPassword());
        properties.put("kafka.bootstrap.servers", LocalInfrastructure.kafkaBootstrapServers());
        properties.put("mailops.gateway-token", GATEWAY_TOKEN);
        ServiceProcess service = new ServiceProcess(jar, properties);
        service.start();
        return service;
    }

    @Override
    public void stop() {
        for (ServiceProcess service : new ServiceProcess[] { mailbox, billing, dns }) {
            if (service != null) {
                service.close();
            }
        }
    }
}
