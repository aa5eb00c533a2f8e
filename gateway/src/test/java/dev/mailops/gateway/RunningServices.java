package dev.mailops.gateway;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.mailops.testinfra.MailHost;
import dev.mailops.testinfra.PackagedService;
import dev.mailops.testinfra.ServiceProcess;
import dev.mailops.testinfra.TestInfrastructure;

/**
 * The services behind the gateway, as their packaged jars (the reactor packages them before the
 * gateway), on the tests' Kafka and PostgreSQL, with their own databases and topics for this run; and
 * a mail host of this run's own (real Dovecot and Postfix, {@link MailHost}) kept by mailhost-service.
 * The mail host must start: when it cannot, every test of the gateway fails rather than skips.
 */
public class RunningServices implements QuarkusTestResourceLifecycleManager {

    public static final String GATEWAY_TOKEN = "test-gateway-token-" + UUID.randomUUID();
    static ServiceProcess mailbox;
    static ServiceProcess billing;
    static ServiceProcess dns;
    static ServiceProcess mailhostService;
    /** Real Dovecot and Postfix on ports 21xxx (IMAPS 21993, SMTP 21025, submission 21587, ...). */
    static MailHost mailHost;
    /** The mailbox.events topic of this run, and the port of dns-service's DNS server. */
    static String eventsTopic;
    static String billingTopic;
    static String dnsTopic;
    static String credentialsTopic;
    static int dnsPort;

    @Override
    public synchronized Map<String, String> start() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String events = "gw-" + run + ".mailbox.events";
        eventsTopic = events;
        billingTopic = "gw-" + run + ".billing.events";
        dnsTopic = "gw-" + run + ".dns.events";
        credentialsTopic = "gw-" + run + ".mailbox.credentials";
        dnsPort = ServiceProcess.freePort();
        mailbox = PackagedService.module("mailbox-service").database("gw_mailbox_test").gatewayToken(GATEWAY_TOKEN)
                .publishing("mailbox-events", events)
                .publishingIfDeclared("mailbox-credentials", credentialsTopic)
                // a short quarantine, so the end-to-end test sees a deleted address released
                .with("mailbox.address-quarantine", "PT4S")
                .with("mailbox.address-release.interval", "1s")
                .process();
        billing = PackagedService.module("billing-service").database("gw_billing_test").gatewayToken(GATEWAY_TOKEN)
                .consuming(events, "billing-" + run, events + ".billing-dlq")
                .publishing("billing-events", billingTopic)
                .process();
        dns = PackagedService.module("dns-service").database("gw_dns_test").gatewayToken(GATEWAY_TOKEN)
                .consuming(events, "dns-" + run, events + ".dns-dlq")
                .publishing("dns-events", dnsTopic)
                .with("dns.server.port", String.valueOf(dnsPort))
                .process();
        mailHost = MailHost.of("gateway", 21000, "gw_mailhost_test");
        mailhostService = mailHost.service(TestInfrastructure.settings(), events, credentialsTopic, "mailhost-" + run)
                .gatewayToken(GATEWAY_TOKEN)
                .process();
        // Side by side, as none needs another to start.
        ServiceProcess.startTogether(List.of(mailbox::start, billing::start, dns::start, () -> {
            // The mail host first: it creates the read-only role, which mailhost-service's migration then grants.
            mailHost.start();
            mailhostService.start();
        }));
        return Map.of(
                "gateway.backends.mailbox", mailbox.baseUrl(),
                "gateway.backends.billing", billing.baseUrl(),
                "gateway.backends.dns", dns.baseUrl(),
                "mailops.gateway-token", GATEWAY_TOKEN,
                "mp.messaging.incoming.mailbox-feed.topic", events);
    }

    @Override
    public void stop() {
        for (ServiceProcess service : new ServiceProcess[] { mailbox, billing, dns, mailhostService }) {
            if (service != null) {
                service.close();
            }
        }
        if (mailHost != null) {
            mailHost.stop();
        }
    }
}
