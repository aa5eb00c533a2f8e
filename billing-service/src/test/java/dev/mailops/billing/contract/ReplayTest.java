package dev.mailops.billing.contract;

import static dev.mailops.billing.contract.ContractFlowTest.WAIT;
import static dev.mailops.billing.contract.ContractFlowTest.as;
import static dev.mailops.billing.contract.ContractFlowTest.awaitRevision;
import static dev.mailops.billing.contract.ContractFlowTest.newTenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.consumer.TopicReplay;
import dev.mailops.kit.jdbc.Database;
import dev.mailops.testinfra.MailboxEventsFixture;

@QuarkusTest
class ReplayTest {

    static MailboxEventsFixture events;

    @Inject
    Database database;
    @Inject
    TopicReplay topicReplay;
    @ConfigProperty(name = "mp.messaging.incoming.mailbox-events.topic")
    String topic;

    @BeforeAll
    static void producer() {
        events = MailboxEventsFixture.forConsumedTopic();
    }

    @AfterAll
    static void close() {
        events.close();
    }

    @Test
    void rebuildingFromTheTopicGivesExactlyTheSameContracts() {
        List<String> tenants = List.of(newTenant(), newTenant(), newTenant());
        Instant start = Instant.parse("2026-09-03T09:00:00Z");
        for (int t = 0; t < tenants.size(); t++) {
            String tenant = tenants.get(t);
            List<UUID> mailboxes = new ArrayList<>();
            for (int i = 0; i < 4 + t; i++) {
                UUID id = UUID.randomUUID();
                mailboxes.add(id);
                events.mailboxCreated(tenant, id, "m" + i + "@" + tenant + ".de", i % 2 == 0 ? "MAIL_LIGHT" : "MAIL_PREMIUM",
                        start.plusSeconds(86_400L * i));
            }
            events.feeChanged(tenant, "BUSINESS_RESELLER", "BUSINESS_SUPPORT", start.plusSeconds(86_400L * 20));
            var rateChange = ContractFlowTest.rateChanged(events, tenant, mailboxes.get(0), "m0@" + tenant + ".de",
                    "MAIL_LIGHT", "MAIL_STANDARD", start.plusSeconds(86_400L * 30));
            events.mailboxDeleted(tenant, mailboxes.get(1), "m1@" + tenant + ".de", "MAIL_PREMIUM",
                    start.plusSeconds(86_400L * 45));
            // Two changes on one day (the day is billed once, at the last rate), and one after a deletion (no line).
            ContractFlowTest.rateChanged(events, tenant, mailboxes.get(2), "m2@" + tenant + ".de", "MAIL_LIGHT",
                    "MAIL_PREMIUM", start.plusSeconds(86_400L * 65));
            var sameDay = ContractFlowTest.rateChanged(events, tenant, mailboxes.get(2), "m2@" + tenant + ".de",
                    "MAIL_PREMIUM", "MAIL_STANDARD", start.plusSeconds(86_400L * 65 + 3_600));
            ContractFlowTest.rateChanged(events, tenant, mailboxes.get(1), "m1@" + tenant + ".de", "MAIL_PREMIUM",
                    "MAIL_LIGHT", start.plusSeconds(86_400L * 70));
            events.resend(rateChange); // duplicates on the topic, too
            events.resend(sameDay);
            // Another event creating the deleted mailbox: it is still known and changes nothing.
            events.mailboxCreated(tenant, mailboxes.get(1), "m1@" + tenant + ".de", "MAIL_LIGHT",
                    start.plusSeconds(86_400L * 75));
            awaitRevision(tenant, 4 + t + 5);
        }
        List<String> before = snapshot(tenants);
        String schemaBefore = indexesAndConstraints();

        var result = as("operations", "operator").post("/api/v1/operations/replay").then().statusCode(200)
                .extract().jsonPath();
        assertThat(result.getLong("records")).isGreaterThanOrEqualTo(events.sent().size());
        assertThat(result.getLong("applied")).isLessThan(result.getLong("records")); // the duplicates

        assertThat(snapshot(tenants)).isEqualTo(before);
        assertThat(contractsWhoseTotalsDifferFromTheirLines()).isZero();
        assertThat(indexesAndConstraints()).as("the bulk load restores what it dropped").isEqualTo(schemaBefore)
                .contains("contract_revision_tenant_id_fkey", "processed_event_pkey");
        as(newTenant(), "admin").post("/api/v1/operations/replay").then().statusCode(403);
    }

    /**
     * A replay holds live consumption for as long as it runs (a million events take about a minute on 2
     * cores). An event that arrives meanwhile waits, unacknowledged, and is applied after it, and so is the
     * next: SmallRye's throttled commit strategy would end the channel for good once a record had waited
     * longer than its unprocessed-record age (60 s by default), and nothing after it would be applied. The
     * held poll shows in consumer-kit's events.poll.applying, which says when it has waited long enough.
     */
    @Test
    void liveConsumptionWaitsOutAReplayOfOverAMinuteAndGoesOn() throws Exception {
        String tenant = newTenant();
        Instant day = Instant.parse("2026-09-03T09:00:00Z");
        CountDownLatch rebuilt = new CountDownLatch(1);
        CompletableFuture<TopicReplay.Result> slowReplay = CompletableFuture.supplyAsync(
                () -> topicReplay.replayRecords(topic, new TopicReplay.RecordRebuild() {
                    @Override
                    public void truncate() {
                        waitFor(rebuilt); // the rebuild's work, which changes nothing here
                    }

                    @Override
                    public boolean apply(ConsumerRecord<String, String> record) {
                        return false;
                    }
                }));
        try {
            await().atMost(WAIT).until(this::replayHoldsItsLock);
            events.mailboxCreated(tenant, UUID.randomUUID(), "held@" + tenant + ".de", "MAIL_LIGHT", day);
            // The poll's age, which consumer-kit's metric shows, past SmallRye's 60 s and its next check (every 5 s).
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> oldestPollApplyingSeconds() > 65);
            as(tenant, "user").get("/api/v1/contract").then().body("revision", equalTo(0));
        } finally {
            rebuilt.countDown();
        }
        slowReplay.get(1, TimeUnit.MINUTES);
        awaitRevision(tenant, 1);
        events.mailboxCreated(tenant, UUID.randomUUID(), "next@" + tenant + ".de", "MAIL_LIGHT", day.plusSeconds(60));
        awaitRevision(tenant, 2);
    }

    /** consumer-kit's events.poll.applying for the topic, as Prometheus scrapes it; 0 before its first poll. */
    private double oldestPollApplyingSeconds() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher max = Pattern.compile("(?m)^events_poll_applying_seconds_max\\{[^}]*topic=\"" + Pattern.quote(topic)
                + "\"[^}]*} (\\S+)$").matcher(metrics);
        return max.find() ? Double.parseDouble(max.group(1)) : 0;
    }

    private boolean replayHoldsItsLock() {
        return database.count("""
                select count(*) from pg_locks where locktype = 'advisory' and mode = 'ExclusiveLock' and granted
                   and database = (select oid from pg_database where datname = current_database())""") > 0;
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String indexesAndConstraints() {
        return String.valueOf(database.first("""
                select (select string_agg(indexname || ' ' || indexdef, '; ' order by indexname) from pg_indexes
                         where tablename in ('contract', 'contract_line', 'basic_fee_period', 'contract_revision',
                                             'processed_event'))
                       || ' | ' ||
                       (select string_agg(conname || ' ' || pg_get_constraintdef(oid), '; ' order by conname)
                          from pg_constraint where conrelid in ('contract'::regclass, 'contract_line'::regclass,
                                'basic_fee_period'::regclass, 'contract_revision'::regclass, 'processed_event'::regclass))""",
                row -> row.getString(1)).orElse(null));
    }

    /** The running totals on each contract head against its open lines and open fee period. */
    private long contractsWhoseTotalsDifferFromTheirLines() {
        return database.count("""
                select count(*) from contract c
                 where c.active_mailboxes <> (select count(*) from contract_line l
                                               where l.tenant_id = c.tenant_id and l.ends_at is null)
                    or c.mailboxes_monthly_net <> (select coalesce(sum(l.monthly_net_price), 0) from contract_line l
                                                    where l.tenant_id = c.tenant_id and l.ends_at is null)
                    or c.basic_fee_monthly_net <> (select p.monthly_net_price from basic_fee_period p
                                                    where p.tenant_id = c.tenant_id and p.ends_at is null)""");
    }

    private List<String> snapshot(List<String> tenants) {
        List<String> views = new ArrayList<>();
        for (String tenant : tenants) {
            views.add(as(tenant, "user").get("/api/v1/contract").asString());
            views.add(as(tenant, "user").get("/api/v1/contract/revisions").asString());
            views.add(String.valueOf(database.first(
                    "select active_mailboxes || '/' || mailboxes_monthly_net || '/' || basic_fee_monthly_net "
                            + "|| '/' || revision || '/' || updated_at from contract where tenant_id = ?",
                    row -> row.getString(1), tenant).orElse(null)));
            views.add(String.valueOf(database.first(
                    "select string_agg(mailbox_id || ' ' || rate || ' ' || monthly_net_price || ' ' || starts_at || ' ' "
                            + "|| coalesce(ends_at::text, 'open') || ' ' || replaced, '; ' "
                            + "order by mailbox_id, starts_at, ends_at nulls last) from contract_line where tenant_id = ?",
                    row -> row.getString(1), tenant).orElse(null)));
            for (String month : List.of("2026-09", "2026-10", "2026-11")) {
                views.add(as(tenant, "user").get("/api/v1/contract/statements/" + month).asString());
            }
        }
        return views;
    }
}
