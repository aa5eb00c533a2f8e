package dev.mailops.billing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Path;
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

import dev.mailops.testinfra.LocalInfrastructure;
import dev.mailops.testinfra.MailboxEventsFixture;

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
    final int httpPort = freePort();
    GreenMail smtp;
    Process service;
    int generation;

    @AfterEach
    void stopAll() {
        if (service != null) {
            service.destroyForcibly();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    void killedTwiceUnderAStreamOfEventsItLosesAndDoubleCountsNothing() throws Exception {
        LocalInfrastructure.ensureStarted();
        LocalInfrastructure.ensureDatabase(database);
        smtp = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        List<String> tenants = new ArrayList<>();
        for (int t = 0; t < TENANTS; t++) {
            tenants.add("it-" + run + "-" + t);
        }
        start();

        try (MailboxEventsFixture events = new MailboxEventsFixture(topic)) {
            CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> streamEvents(events, tenants));
            for (int kill = 0; kill < 2; kill++) {
                Thread.sleep(1_500);
                assertThat(stream).as("the stream must still be flowing at kill %d", kill).isNotDone();
                service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                start();
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
                JsonPath revisions = given().port(httpPort).header("X-Tenant-Id", tenant).queryParam("size", 500)
                        .get("/api/v1/contract/revisions").jsonPath();
                List<Integer> numbers = revisions.getList("revision", Integer.class);
                assertThat(numbers).hasSize(EVENTS_PER_TENANT).doesNotHaveDuplicates();
                assertThat(new HashSet<>(revisions.getList("cause.eventId", String.class)))
                        .isEqualTo(sentIds(events, tenant));
            }
        }
    }

    private void streamEvents(MailboxEventsFixture events, List<String> tenants) {
        Map<String, List<UUID>> mailboxes = new java.util.HashMap<>();
        tenants.forEach(tenant -> mailboxes.put(tenant, new ArrayList<>()));
        for (int step = 0; step < EVENTS_PER_TENANT; step++) {
            for (String tenant : tenants) {
                Instant now = Instant.now();
                if (step < MAILBOXES) {
                    UUID id = UUID.randomUUID();
                    mailboxes.get(tenant).add(id);
                    events.mailboxCreated(tenant, id, "m" + step + "@" + tenant + ".de", RATES.get(step % 3), now);
                } else if (step < MAILBOXES + DELETED) {
                    int index = step - MAILBOXES;
                    events.mailboxDeleted(tenant, mailboxes.get(tenant).get(index), "m" + index + "@" + tenant + ".de",
                            RATES.get(index % 3), now);
                } else if (step == MAILBOXES + DELETED) {
                    events.feeChanged(tenant, "BUSINESS_RESELLER", "BUSINESS_SUPPORT", now);
                } else {
                    events.feeChanged(tenant, "BUSINESS_SUPPORT", "BUSINESS_PREMIUM", now);
                }
                pause(40);
            }
        }
    }

    private void start() {
        Path jar = Path.of(System.getProperty("mailops.app.jar", "target/quarkus-app/quarkus-run.jar"));
        File log = jar.getParent().getParent().resolve("restart-it-" + (++generation) + ".log").toFile();
        try {
            service = new ProcessBuilder(javaBinary(), "-Xmx256m",
                    "-Dquarkus.http.port=" + httpPort,
                    "-Dquarkus.datasource.jdbc.url=" + LocalInfrastructure.jdbcUrl(database),
                    "-Dquarkus.datasource.username=" + LocalInfrastructure.pgUser(),
                    "-Dquarkus.datasource.password=" + LocalInfrastructure.pgPassword(),
                    "-Dkafka.bootstrap.servers=" + LocalInfrastructure.kafkaBootstrapServers(),
                    "-Dmp.messaging.incoming.mailbox-events.topic=" + topic,
                    "-Dmp.messaging.incoming.mailbox-events.group.id=billing-" + run,
                    "-Dmp.messaging.incoming.mailbox-events.dead-letter-queue.topic=" + topic + ".dlq",
                    "-Dmp.messaging.outgoing.billing-events.topic=restart-" + run + ".billing.events",
                    "-Dquarkus.mailer.port=" + smtp.getSmtp().getPort(),
                    "-jar", jar.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(service.isAlive()).as("billing-service exited; see %s", log).isTrue();
            try {
                return given().port(httpPort).get("/q/health/ready").statusCode() == 200;
            } catch (Exception notListeningYet) {
                return false;
            }
        });
    }

    private JsonPath contract(String tenant) {
        return given().port(httpPort).header("X-Tenant-Id", tenant).get("/api/v1/contract").jsonPath();
    }

    private static Set<String> sentIds(MailboxEventsFixture events, String tenant) {
        Set<String> ids = new HashSet<>();
        events.sent().stream().filter(sent -> sent.tenant().equals(tenant)).forEach(sent -> ids.add(sent.id().toString()));
        return ids;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
