package dev.mailops.billing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import dev.mailops.testinfra.MailboxEventsFixture;
import dev.mailops.testinfra.PacedStream;
import dev.mailops.testinfra.PackagedService;
import dev.mailops.testinfra.ServiceProcess;
import dev.mailops.testinfra.TestInfrastructure;

/**
 * The packaged billing-service, killed with SIGKILL twice while a stream of mailbox events flows in
 * and started again each time: afterwards every contract holds every event exactly once.
 */
class RestartSafetyIT {

    static final List<String> RATES = List.of("MAIL_LIGHT", "MAIL_STANDARD", "MAIL_PREMIUM");
    static final Map<String, BigDecimal> PRICES = Map.of("MAIL_LIGHT", new BigDecimal("1.00"),
            "MAIL_STANDARD", new BigDecimal("3.00"), "MAIL_PREMIUM", new BigDecimal("9.00"));
    static final int TENANTS = 12;
    static final int MAILBOXES = 20;
    static final int DELETED = 8;
    static final int EVENTS_PER_TENANT = MAILBOXES + DELETED + 2;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String topic = "restart-" + run + ".mailbox.events";
    final String database = "billing_it_" + run;
    GreenMail smtp;
    ServiceProcess service;

    @AfterEach
    void stopAll() {
        if (service != null) {
            service.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        TestInfrastructure.settings().deleteTopics("restart-" + run + ".");
    }

    @Test
    void killedTwiceUnderAStreamOfEventsItLosesAndDoubleCountsNothing() throws Exception {
        smtp = new GreenMail(new ServerSetup(ServiceProcess.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        service = PackagedService.underTest()
                .database(database)
                .consuming(topic, "billing-" + run, topic + ".dlq")
                .publishing("billing-events", "restart-" + run + ".billing.events")
                .with("quarkus.mailer.port", String.valueOf(smtp.getSmtp().getPort()))
                .process();
        List<String> tenants = new ArrayList<>();
        for (int t = 0; t < TENANTS; t++) {
            tenants.add("it-" + run + "-" + t);
        }
        service.start();

        try (MailboxEventsFixture events = new MailboxEventsFixture(topic)) {
            CompletableFuture<Void> stream = PacedStream.start(steps(events, tenants), Duration.ofMillis(80));
            for (int kill = 1; kill <= 2; kill++) {
                int sentBeforeKill = kill * TENANTS * EVENTS_PER_TENANT / 4;
                await().atMost(Duration.ofSeconds(60)).until(() -> events.sent().size() >= sentBeforeKill);
                assertThat(stream).as("the stream must still be flowing at kill %d", kill).isNotDone();
                service.kill();
                service.start();
            }
            stream.get(120, TimeUnit.SECONDS);
            assertThat(events.sent()).hasSize(TENANTS * EVENTS_PER_TENANT);

            BigDecimal expectedNet = new BigDecimal("14.90"); // BUSINESS_PREMIUM
            for (int i = DELETED; i < MAILBOXES; i++) {
                expectedNet = expectedNet.add(PRICES.get(RATES.get(i % 3)));
            }
            for (String tenant : tenants) {
                await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(
                        contract(tenant).getInt("revision")).isEqualTo(EVENTS_PER_TENANT));
                JsonPath contract = contract(tenant);
                assertThat(contract.getList("mailboxes")).hasSize(MAILBOXES - DELETED);
                assertThat(contract.getString("basicFee.plan")).isEqualTo("BUSINESS_PREMIUM");
                assertThat(new BigDecimal(contract.getString("monthlyNetTotal"))).isEqualByComparingTo(expectedNet);
                JsonPath revisions = asTenant(tenant).queryParam("size", 500)
                        .get("/api/v1/contract/revisions").jsonPath();
                List<Integer> numbers = revisions.getList("revision", Integer.class);
                assertThat(numbers).hasSize(EVENTS_PER_TENANT).doesNotHaveDuplicates();
                assertThat(new HashSet<>(revisions.getList("cause.eventId", String.class)))
                        .isEqualTo(sentIds(events, tenant));
            }
        }
    }

    /** Each tenant's 30 events, interleaved across tenants; every tenant's own events stay in order. */
    private static List<Runnable> steps(MailboxEventsFixture events, List<String> tenants) {
        Map<String, List<UUID>> mailboxes = new java.util.HashMap<>();
        tenants.forEach(tenant -> mailboxes.put(tenant, new ArrayList<>()));
        List<Runnable> steps = new ArrayList<>();
        for (int step = 0; step < EVENTS_PER_TENANT; step++) {
            for (String tenant : tenants) {
                int current = step;
                steps.add(() -> {
                    Instant now = Instant.now();
                    if (current < MAILBOXES) {
                        UUID id = UUID.randomUUID();
                        mailboxes.get(tenant).add(id);
                        events.mailboxCreated(tenant, id, "m" + current + "@" + tenant + ".de", RATES.get(current % 3), now);
                    } else if (current < MAILBOXES + DELETED) {
                        int index = current - MAILBOXES;
                        events.mailboxDeleted(tenant, mailboxes.get(tenant).get(index), "m" + index + "@" + tenant + ".de",
                                RATES.get(index % 3), now);
                    } else if (current == MAILBOXES + DELETED) {
                        events.feeChanged(tenant, "BUSINESS_RESELLER", "BUSINESS_SUPPORT", now);
                    } else {
                        events.feeChanged(tenant, "BUSINESS_SUPPORT", "BUSINESS_PREMIUM", now);
                    }
                });
            }
        }
        return steps;
    }

    private JsonPath contract(String tenant) {
        return asTenant(tenant).get("/api/v1/contract").jsonPath();
    }

    /** As the gateway would call the service for the tenant. */
    private RequestSpecification asTenant(String tenant) {
        return given().port(service.httpPort()).header("X-Gateway-Token", PackagedService.TEST_GATEWAY_TOKEN)
                .header("X-Tenant-Id", tenant);
    }

    private static Set<String> sentIds(MailboxEventsFixture events, String tenant) {
        Set<String> ids = new HashSet<>();
        events.sent().stream().filter(sent -> sent.tenant().equals(tenant)).forEach(sent -> ids.add(sent.id().toString()));
        return ids;
    }
}
