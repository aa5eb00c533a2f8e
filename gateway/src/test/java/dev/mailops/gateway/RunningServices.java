package dev.mailops.gateway;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.mailops.testinfra.KeyEncryptionKeyFile;
import dev.mailops.testinfra.MailHost;
import dev.mailops.testinfra.PackagedService;
import dev.mailops.testinfra.ServiceProcess;
import dev.mailops.testinfra.TestInfrastructure;

/**
 * The services behind the gateway, as their packaged jars (the reactor packages them before the
 * gateway), on the tests' Kafka and PostgreSQL, with their own databases and topics for this run; and
 * a mail host of this run's own (real Dovecot and Postfix, {@link MailHost}) kept by mailhost-service.
 * The mail host must start: when it cannot, every test of the gateway fails rather than skips.
 *
 * <p>With the init argument {@code dkim=on} (only {@link DkimProfile}, which runs no other
 * resource): the deployment's own DKIM keys, as {@code ./mailops up} runs them. mailbox-service keeps
 * the keys, sealed under a key-encryption key generated into target/ and checked against dns-service's
 * DNS server; dns-service has the self-hosted profile; mailhost-service opens them with the same
 * key-encryption key into the mail host's OpenDKIM key directory; the mail host signs submitted mail.
 * And, as compose and Kubernetes run it, a domain is pending until proven ({@code dns-txt}): the only
 * resolver is {@link ProofDns} in the test JVM, where a test creates the proof record
 * ({@link Onboarding#provenDomain}). On databases of their own, so neither set sees the other's domains.
 */
public class RunningServices implements QuarkusTestResourceLifecycleManager {

    /** The init argument that turns the deployment's own DKIM keys on ({@code dkim=on}). */
    public static final String DKIM = "dkim";

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
    /** The gateway's gateway.users of this run, which mailbox-service reads its known users from. */
    static String usersTopic;
    /** mailbox-service's database in this run, where a test sees which users it knows ({@link Onboarding}). */
    static String mailboxDatabase;
    static int dnsPort;
    /** The DKIM key-encryption key both mailbox-service and mailhost-service were given (with dkim=on). */
    static Path keyEncryptionKeyFile;
    /** The resolver of the domain proofs (with dkim=on): a record a test serves here proves its domain. */
    static ProofDns proofDns;
    /** The processes' logs are beside their jars: {@code <module>/target/target-process-<n>.log}. */
    static final String[] MODULES = { "mailbox-service", "billing-service", "dns-service", "mailhost-service" };

    private boolean dkim;
    /** This set's topics, all named gw-<run>. */
    private String topicPrefix;

    @Override
    public void init(Map<String, String> initArgs) {
        dkim = "on".equals(initArgs.get(DKIM));
    }

    @Override
    public synchronized Map<String, String> start() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        topicPrefix = "gw-" + run + ".";
        String events = topicPrefix + "mailbox.events";
        eventsTopic = events;
        billingTopic = topicPrefix + "billing.events";
        dnsTopic = topicPrefix + "dns.events";
        credentialsTopic = topicPrefix + "mailbox.credentials";
        usersTopic = topicPrefix + "gateway.users";
        mailboxDatabase = database("mailbox");
        dnsPort = ServiceProcess.freePort();
        PackagedService mailboxService = PackagedService.module("mailbox-service").database(mailboxDatabase)
                .gatewayToken(GATEWAY_TOKEN)
                .publishing("mailbox-events", events)
                .publishingIfDeclared("mailbox-credentials", credentialsTopic)
                .readingIfDeclared("gateway-users", usersTopic, "mailbox-" + run, usersTopic + ".mailbox-dlq")
                // a short quarantine, so the end-to-end test sees a deleted address released
                .with("mailbox.address-quarantine", "PT4S")
                .with("mailbox.address-release.interval", "1s")
                // the shared set asks for no proof, so its tests' domains are verified when registered (the DKIM
                // set below asks for it)
                .with("mailbox.domain-verification.policy", "none");
        PackagedService dnsService = PackagedService.module("dns-service").database(database("dns"))
                .gatewayToken(GATEWAY_TOKEN)
                .consuming(events, "dns-" + run, events + ".dns-dlq")
                .publishing("dns-events", dnsTopic)
                .with("dns.server.port", String.valueOf(dnsPort));
        mailHost = MailHost.of("gateway", 21000, database("mailhost"));
        PackagedService mailhost = mailHost.service(TestInfrastructure.settings(), events, credentialsTopic,
                "mailhost-" + run).gatewayToken(GATEWAY_TOKEN);
        if (dkim) {
            keyEncryptionKeyFile = KeyEncryptionKeyFile.writeNew(Path.of("target", "dkim-key-encryption-key").toAbsolutePath());
            mailboxService.with("mailbox.dkim.enabled", "true")
                    .with("mailbox.dkim.key-encryption-key-file", keyEncryptionKeyFile.toString())
                    .with("mailbox.dkim.dns-servers", "127.0.0.1:" + dnsPort)
                    .with("mailbox.dkim.check-interval", "1s")
                    // a replaced key stays published 12 s (a 3 s TTL plus a 9 s delivery delay): long enough for
                    // a test to see it retiring and a second rotation refused, short enough to wait for its
                    // selector's fresh key
                    .with("mailbox.dkim.record-ttl", "PT3S")
                    .with("mailbox.dkim.max-delivery-delay", "PT9S")
                    .with("mailbox.dkim.rotation-interval", "P30D");
            proofDns = ProofDns.start();
            // the checker would prove a domain on its own within its interval: a minute, so that in the tests
            // the proof is what "Check now" (POST /verify) finds
            mailboxService.with("mailbox.domain-verification.policy", "dns-txt")
                    .with("mailbox.domain-verification.resolvers", proofDns.address())
                    .with("mailbox.domain-verification.check-interval", "PT1M");
            dnsService.with("dns.profile", "self-hosted")
                    .with("dns.self-hosted.mail-host", "mail.gateway-test.example")
                    .with("dns.self-hosted.ttl", "5");
            mailHost.signing(true);
            mailhost.with("mailhost.dkim.key-encryption-key-file", keyEncryptionKeyFile.toString());
        }
        mailbox = mailboxService.process();
        billing = PackagedService.module("billing-service").database(database("billing")).gatewayToken(GATEWAY_TOKEN)
                .consuming(events, "billing-" + run, events + ".billing-dlq")
                .publishing("billing-events", billingTopic)
                .process();
        dns = dnsService.process();
        mailhostService = mailhost.process();
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
                "mp.messaging.incoming.mailbox-feed.topic", events,
                "mp.messaging.outgoing.gateway-users.topic", usersTopic,
                // the gateway's key and a previous one, as during a key rotation
                "mp.jwt.verify.publickey.location", TestKeys.writeJwks(Path.of("target", "jwt-keys-" + run + ".json")
                        .toAbsolutePath()).toString());
    }

    /** The set with DKIM has databases of its own: a mailbox-service with DKIM on gives every domain it knows keys. */
    private String database(String service) {
        return "gw_" + service + (dkim ? "_dkim" : "") + "_test";
    }

    @Override
    public void stop() {
        ServiceProcess.closeTogether(Arrays.asList(mailbox, billing, dns, mailhostService));
        if (mailHost != null) {
            mailHost.stop();
        }
        if (proofDns != null) {
            proofDns.close();
            proofDns = null;
        }
        if (topicPrefix != null) {
            TestInfrastructure.settings().deleteTopics(topicPrefix);
        }
    }
}
