package dev.mailops.mailhost;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mailops.testinfra.PackagedService;
import dev.mailops.testinfra.PacedStream;
import dev.mailops.testinfra.ServiceProcess;
import dev.mailops.testinfra.TestInfrastructure;
import dev.mailops.testinfra.TopicProbe;

/**
 * The packaged mailhost-service, killed with SIGKILL twice while events and credentials keep arriving
 * (creations, aliases, rate changes, password changes, deletions with their tombstones, releases and
 * creations again) and started again each time: afterwards every event is applied exactly once, and
 * the state equals what a replay of both topics rebuilds.
 */
class RestartSafetyIT {

    static final int TENANTS = 6;
    static final int MAILBOXES_PER_TENANT = 12;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String events = "restart-" + run + ".mailhost.mailbox.events";
    final String credentials = "restart-" + run + ".mailhost.mailbox.credentials";
    final String database = "mailhost_restart_" + run;
    ServiceProcess service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        TestInfrastructure.settings().deleteTopics("restart-" + run + ".");
    }

    @Test
    void killedTwiceUnderAStreamOfEventsItsStateEqualsAReplay() throws Exception {
        service = PackagedService.underTest()
                .database(database)
                .consuming(events, "mailhost-" + run, events + ".dlq")
                .with("mp.messaging.incoming.mailbox-credentials.topic", credentials)
                .with("mp.messaging.incoming.mailbox-credentials.group.id", "mailhost-" + run)
                .with("mp.messaging.incoming.mailbox-credentials.dead-letter-queue.topic", credentials + ".dlq")
                .process();
        service.start();
        TopicProbe deadLetters = TopicProbe.open(events + ".dlq");
        AtomicInteger handled = new AtomicInteger(); // events of the types the service applies
        AtomicInteger stepsDone = new AtomicInteger();
        try (MailHostEvents publish = new MailHostEvents(events); CredentialsFixture publishCredential = new CredentialsFixture(credentials)) {
            List<Runnable> steps = new ArrayList<>();
            for (int t = 0; t < TENANTS; t++) {
                String tenant = "rs-" + run + "-" + t;
                String domain = "t" + t + "-" + run + ".example";
                steps.add(() -> {
                    publish.domainAdded(tenant, domain);
                    handled.incrementAndGet();
                });
            }
            for (int m = 0; m < MAILBOXES_PER_TENANT; m++) {
                for (int t = 0; t < TENANTS; t++) {
                    String tenant = "rs-" + run + "-" + t;
                    String address = "m" + m + "@t" + t + "-" + run + ".example";
                    String alias = "a" + m + "@t" + t + "-" + run + ".example";
                    UUID id = UUID.randomUUID();
                    int kind = m % 4;
                    int number = m;
                    steps.add(() -> {
                        publish.mailboxCreated(tenant, id, address, "MAIL_LIGHT");
                        publishCredential.password(id, address, "Horse-" + number);
                        publish.aliasAdded(tenant, id, alias);
                        handled.addAndGet(2);
                        switch (kind) {
                            case 1 -> {
                                publish.rateChanged(tenant, id, address, "MAIL_LIGHT", "MAIL_PREMIUM");
                                handled.incrementAndGet();
                            }
                            case 2 -> {
                                publishCredential.password(id, address, "Changed-Horse-" + number);
                                publish.passwordChanged(tenant, id, address);
                                publish.aliasRemoved(tenant, id, alias);
                                handled.incrementAndGet();
                            }
                            case 3 -> {
                                publish.mailboxDeleted(tenant, id, address, "MAIL_LIGHT", List.of(alias));
                                publishCredential.tombstone(id);
                                publish.addressReleased(tenant, id, address);
                                UUID again = UUID.randomUUID();
                                publish.mailboxCreated(tenant, again, address, "MAIL_STANDARD");
                                publishCredential.password(again, address, "Again-Horse-" + number);
                                handled.addAndGet(2);
                            }
                            default -> {
                            }
                        }
                        stepsDone.incrementAndGet();
                    });
                }
            }
            CompletableFuture<Void> stream = PacedStream.start(steps, Duration.ofMillis(60));
            for (int kill = 1; kill <= 2; kill++) {
                int before = kill * steps.size() / 3;
                await().atMost(Duration.ofSeconds(60)).until(() -> stepsDone.get() >= before);
                assertThat(stream).as("the stream must still be flowing at kill %d", kill).isNotDone();
                service.kill();
                service.start();
            }
            stream.get(120, TimeUnit.SECONDS);
        }
        int expectedMailboxes = TENANTS * MAILBOXES_PER_TENANT;
        await().atMost(Duration.ofSeconds(120)).until(() -> count("select count(*) from processed_event") == handled.get()
                && count("select count(*) from mailbox_credential") == expectedMailboxes);
        assertThat(count("select count(*) from mailbox")).isEqualTo(expectedMailboxes);
        assertThat(count("select count(*) from dovecot_passdb")).as("every mailbox can log in").isEqualTo(expectedMailboxes - TENANTS * 3);
        assertThat(count("select count(*) from mail_removal where removed_at is null")).isEqualTo(TENANTS * 3);
        try (deadLetters) {
            assertThat(deadLetters.readToEnd(record -> true)).as("a redelivery is no poison").isEmpty();
        }
        Map<String, List<String>> before = MailHostState.snapshot(this::connection);

        given().port(service.httpPort()).header("X-Gateway-Token", PackagedService.TEST_GATEWAY_TOKEN)
                .header("X-Tenant-Id", "operations").header("X-User-Id", "op").header("X-User-Roles", "operator")
                .post("/api/v1/operations/replay").then().statusCode(200);

        assertThat(MailHostState.snapshot(this::connection)).isEqualTo(before);
    }

    private long count(String sql) {
        return Long.parseLong(MailHostState.rows(this::connection, sql).get(0));
    }

    private Connection connection() {
        try {
            return TestInfrastructure.settings().connect(database);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
