package dev.mailops.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import io.restassured.path.json.JsonPath;

import dev.mailops.testinfra.MailboxEventsFixture;
import dev.mailops.testinfra.PacedStream;
import dev.mailops.testinfra.PackagedService;
import dev.mailops.testinfra.ServiceProcess;
import dev.mailops.testinfra.TestInfrastructure;

/**
 * The packaged dns-service, killed with SIGKILL twice while domains keep being added and started
 * again each time: afterwards every domain is provisioned exactly once and served.
 */
class RestartSafetyIT {

    static final int TENANTS = 12;
    static final int DOMAINS_PER_TENANT = 20;
    static final int PROVIDER_RECORDS = 13;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String topic = "restart-" + run + ".dns.mailbox.events";
    final int dnsPort = ServiceProcess.freePort();
    ServiceProcess service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        TestInfrastructure.settings().deleteTopics("restart-" + run + ".");
    }

    @Test
    void killedTwiceWhileDomainsArriveItProvisionsEachExactlyOnce() throws Exception {
        service = PackagedService.underTest()
                .database("dns_it_" + run)
                .consuming(topic, "dns-" + run, topic + ".dlq")
                .publishing("dns-events", "restart-" + run + ".dns.events")
                .with("dns.server.port", String.valueOf(dnsPort))
                .process();
        service.start();
        List<String[]> domains = new ArrayList<>();
        try (MailboxEventsFixture events = new MailboxEventsFixture(topic)) {
            List<Runnable> steps = new ArrayList<>();
            for (int d = 0; d < DOMAINS_PER_TENANT; d++) {
                for (int t = 0; t < TENANTS; t++) {
                    String tenant = "it-" + run + "-" + t;
                    String domain = "d" + d + "-" + t + "-" + run + ".example";
                    steps.add(() -> {
                        events.domainAdded(tenant, domain, Instant.now());
                        synchronized (domains) {
                            domains.add(new String[] { tenant, domain });
                        }
                    });
                }
            }
            CompletableFuture<Void> stream = PacedStream.start(steps, Duration.ofMillis(120));
            for (int kill = 1; kill <= 2; kill++) {
                int sentBeforeKill = kill * TENANTS * DOMAINS_PER_TENANT / 4;
                await().atMost(Duration.ofSeconds(60)).until(() -> domainsSent(domains) >= sentBeforeKill);
                assertThat(stream).as("the stream must still be flowing at kill %d", kill).isNotDone();
                service.kill();
                service.start();
            }
            stream.get(120, TimeUnit.SECONDS);
        }
        assertThat(domains).hasSize(TENANTS * DOMAINS_PER_TENANT);
        // 240 zones to check: each asked at once (no poll delay), over one kept-alive connection, and read
        // from the answer that found it.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (String[] entry : domains) {
            HttpRequest records = HttpRequest.newBuilder(URI.create(service.baseUrl() + "/api/v1/domains/" + entry[1]
                    + "/records")).header("X-Gateway-Token", PackagedService.TEST_GATEWAY_TOKEN).header("X-Tenant-Id", entry[0])
                    .build();
            JsonPath zone = JsonPath.from(await().pollDelay(Duration.ZERO).atMost(Duration.ofSeconds(120))
                    .until(() -> http.send(records, HttpResponse.BodyHandlers.ofString()),
                            response -> response.statusCode() == 200)
                    .body());
            assertThat(zone.getList("records")).as(entry[1]).hasSize(PROVIDER_RECORDS);
            assertThat(zone.getLong("serial")).as("%s provisioned once", entry[1]).isEqualTo(1);
        }
        String[] last = domains.get(domains.size() - 1);
        SimpleResolver resolver = new SimpleResolver("127.0.0.1");
        resolver.setPort(dnsPort);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(resolver.send(Message.newQuery(
                Record.newRecord(Name.fromString(last[1] + "."), Type.MX, DClass.IN))).getSection(Section.ANSWER))
                .hasSize(3));
    }

    private static int domainsSent(List<String[]> domains) {
        synchronized (domains) {
            return domains.size();
        }
    }
}
