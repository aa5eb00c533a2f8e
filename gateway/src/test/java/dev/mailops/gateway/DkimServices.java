package dev.mailops.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.mailops.kit.secrets.KeyEncryption;
import dev.mailops.testinfra.PackagedService;
import dev.mailops.testinfra.ServiceProcess;

/**
 * The services behind the gateway as a deployment with its own DKIM keys runs them: mailbox-service with
 * DKIM enabled (a key-encryption key of this run, the publication check asking this run's DNS server) and
 * dns-service in the self-hosted profile, which publishes the keys; billing-service for the console's
 * rates. A replaced key stays published for 30 s (a 10 s record TTL plus a 20 s delivery delay), so a test
 * sees a key retire and its selector get a fresh one; rotation is scheduled every 30 days.
 * {@link RunningServices} keeps DKIM off: its tests check the mail provider's records and the exact events.
 */
public class DkimServices implements QuarkusTestResourceLifecycleManager {

    public static final String GATEWAY_TOKEN = "test-gateway-token-" + UUID.randomUUID();
    static ServiceProcess mailbox;
    static ServiceProcess billing;
    static ServiceProcess dns;
    static int dnsPort;

    @Override
    public synchronized Map<String, String> start() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String events = "gwdkim-" + run + ".mailbox.events";
        dnsPort = ServiceProcess.freePort();
        mailbox = PackagedService.module("mailbox-service").database("gw_dkim_mailbox_test").gatewayToken(GATEWAY_TOKEN)
                .publishing("mailbox-events", events)
                .publishingIfDeclared("mailbox-credentials", "gwdkim-" + run + ".mailbox.credentials")
                .with("mailbox.dkim.enabled", "true")
                .with("mailbox.dkim.key-encryption-key-file", keyEncryptionKey().toString())
                .with("mailbox.dkim.dns-servers", "127.0.0.1:" + dnsPort)
                .with("mailbox.dkim.record-ttl", "PT10S")
                .with("mailbox.dkim.max-delivery-delay", "PT20S")
                .with("mailbox.dkim.rotation-interval", "P30D")
                .with("mailbox.dkim.check-interval", "1s")
                .start();
        billing = PackagedService.module("billing-service").database("gw_dkim_billing_test").gatewayToken(GATEWAY_TOKEN)
                .consuming(events, "billing-" + run, events + ".billing-dlq")
                .publishing("billing-events", "gwdkim-" + run + ".billing.events")
                .start();
        dns = PackagedService.module("dns-service").database("gw_dkim_dns_test").gatewayToken(GATEWAY_TOKEN)
                .consuming(events, "dns-" + run, events + ".dns-dlq")
                .publishing("dns-events", "gwdkim-" + run + ".dns.events")
                .with("dns.server.port", String.valueOf(dnsPort))
                .with("dns.profile", "self-hosted")
                .with("dns.self-hosted.mail-host", "mail.mailops.test")
                .with("dns.self-hosted.ttl", "10")
                .start();
        return Map.of(
                "gateway.backends.mailbox", mailbox.baseUrl(),
                "gateway.backends.billing", billing.baseUrl(),
                "gateway.backends.dns", dns.baseUrl(),
                "mailops.gateway-token", GATEWAY_TOKEN,
                "mp.messaging.incoming.mailbox-feed.topic", events);
    }

    /** A key-encryption key of this run only, readable by its owner alone, as ./mailops up makes it. */
    private static Path keyEncryptionKey() {
        try {
            Path file = Files.createTempFile("dkim-key-encryption-key", "",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, KeyEncryption.generate());
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
