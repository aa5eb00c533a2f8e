package dev.mailops.billing.contract;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import dev.mailops.testinfra.MailboxEventsFixture;
import dev.mailops.billing.ControllableClock;
import dev.mailops.billing.SmtpServer;
import dev.mailops.testinfra.LocalInfrastructure;
import dev.mailops.testinfra.SamePartition;
import dev.mailops.testinfra.TopicProbe;

@QuarkusTest
class ContractFlowTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static MailboxEventsFixture events;

    @Inject
    ControllableClock clock;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    MeterRegistry meters;

    @BeforeAll
    static void producer() {
        events = MailboxEventsFixture.forConsumedTopic();
    }

    @AfterAll
    static void close() {
        events.close();
    }

    static RequestSpecification as(String tenant, String roles) {
        return given().contentType(ContentType.JSON).header("X-Tenant-Id", tenant).header("X-User-Id", "u-1")
                .header("X-User-Roles", roles);
    }

    static String newTenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 13);
    }

    static void awaitRevision(String tenant, int revision) {
        await().atMost(WAIT).untilAsserted(() -> as(tenant, "user").get("/api/v1/contract").then()
                .body("revision", equalTo(revision)));
    }

    @Test
    void aNewTenantHasTheFreeDefaultPlanAndNoMailboxes() {
        as(newTenant(), "user").get("/api/v1/contract").then().statusCode(200)
                .body("revision", equalTo(0))
                .body("basicFee.plan", equalTo("BUSINESS_RESELLER"))
                .body("basicFee.monthlyNetPrice", equalTo("0.00"))
                .body("basicFee.providerSupport", equalTo(false))
                .body("mailboxes", empty())
                .body("monthlyNetTotal", equalTo("0.00"))
                .body("vat.country", equalTo("DE"));
    }

    @Test
    void theContractFollowsTheMailboxEventsWithARevisionPerChange() {
        String tenant = newTenant();
        UUID anna = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        Instant t0 = Instant.parse("2026-10-01T08:00:00Z");
        var created = events.mailboxCreated(tenant, anna, "anna@shop.de", "MAIL_STANDARD", t0);
        events.aliasAdded(tenant, anna, "sales@shop.de", t0.plusSeconds(60));
        events.mailboxCreated(tenant, bob, "bob@shop.de", "MAIL_PREMIUM", t0.plusSeconds(120));
        events.feeChanged(tenant, "BUSINESS_RESELLER", "BUSINESS_SUPPORT", t0.plusSeconds(180));
        events.mailboxDeleted(tenant, bob, "bob@shop.de", "MAIL_PREMIUM", t0.plusSeconds(240));
        awaitRevision(tenant, 4);

        as(tenant, "user").get("/api/v1/contract").then()
                .header("Content-Length", notNullValue()) // fewer mailboxes than a page: answered whole, not streamed
                .body("basicFee.plan", equalTo("BUSINESS_SUPPORT"))
                .body("basicFee.monthlyNetPrice", equalTo("4.90"))
                .body("mailboxes.address", contains("anna@shop.de"))
                .body("mailboxes[0].rate", equalTo("MAIL_STANDARD"))
                .body("mailboxes[0].monthlyNetPrice", equalTo("3.00"))
                .body("monthlyNetTotal", equalTo("7.90"))
                .body("vat.percent", equalTo(19))
                .body("vat.amount", equalTo("1.50"))
                .body("monthlyGrossTotal", equalTo("9.40"));
        as(tenant, "user").get("/api/v1/contract/revisions").then()
                .body("revision", contains(4, 3, 2, 1))
                .body("cause.type", contains("MailboxDeleted", "FeeChanged", "MailboxCreated", "MailboxCreated"))
                .body("[3].cause.eventId", equalTo(created.id().toString()))
                .body("[3].cause.subject", equalTo(anna.toString()))
                .body("[3].change", containsString("anna@shop.de added at rate MAIL_STANDARD"))
                .body("monthlyNetTotal", contains("7.90", "16.90", "12.00", "3.00"));
    }

    @Test
    void revisionPagesAreBoundedAndOutOfRangeNumbersAreRefusedByName() {
        String tenant = newTenant();
        Instant t0 = Instant.parse("2026-10-01T08:00:00Z");
        events.mailboxCreated(tenant, UUID.randomUUID(), "anna@pages.de", "MAIL_STANDARD", t0);
        events.mailboxCreated(tenant, UUID.randomUUID(), "bob@pages.de", "MAIL_LIGHT", t0.plusSeconds(60));
        awaitRevision(tenant, 2);

        as(tenant, "user").queryParam("size", 1).queryParam("page", 1).get("/api/v1/contract/revisions").then()
                .statusCode(200).body("revision", contains(1));
        as(tenant, "user").queryParam("page", 100000).get("/api/v1/contract/revisions").then()
                .statusCode(200).body("$", empty());
        for (Map<String, String> bad : List.of(Map.of("page", "2147483647"), Map.of("page", "99999999999999999999"),
                Map.of("page", "-1"), Map.of("page", "x"), Map.of("size", "0"), Map.of("size", "501"))) {
            String field = bad.keySet().iterator().next();
            as(tenant, "user").queryParams(bad).get("/api/v1/contract/revisions").then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", hasItem(field));
        }
    }

    @Test
    void aMonthsStatementProRatesToTheDayWithVatOfTheBillingCountry() {
        String tenant = newTenant();
        as(tenant, "admin").body(address(tenant, "AT")).put("/api/v1/contract/billing-address").then().statusCode(200)
                .body("country", equalTo("AT"));
        UUID standard = UUID.randomUUID();
        UUID premium = UUID.randomUUID();
        events.mailboxCreated(tenant, premium, "p@shop.at", "MAIL_PREMIUM", Instant.parse("2026-10-01T10:00:00Z"));
        events.mailboxCreated(tenant, standard, "s@shop.at", "MAIL_STANDARD", Instant.parse("2026-11-16T10:00:00Z"));
        events.mailboxDeleted(tenant, premium, "p@shop.at", "MAIL_PREMIUM", Instant.parse("2026-11-10T09:00:00Z"));
        events.feeChanged(tenant, "BUSINESS_RESELLER", "BUSINESS_SUPPORT", Instant.parse("2026-11-21T12:00:00Z"));
        awaitRevision(tenant, 4);

        as(tenant, "user").get("/api/v1/contract/statements/2026-11").then().statusCode(200)
                .body("month", equalTo("2026-11"))
                .body("currency", equalTo("EUR"))
                .body("contractRevision", equalTo(4))
                .body("lines.kind", contains("BASIC_FEE", "BASIC_FEE", "MAILBOX", "MAILBOX"))
                .body("lines.days", contains(20, 10, 10, 15))
                .body("lines.net", contains("0.00", "1.63", "3.00", "1.50"))
                .body("netTotal", equalTo("6.13"))
                .body("vat.country", equalTo("AT"))
                .body("vat.amount", equalTo("1.23"))
                .body("grossTotal", equalTo("7.36"));
        as(tenant, "user").get("/api/v1/contract/statements/2026-10").then()
                .body("lines.net", contains("0.00", "9.00")).body("netTotal", equalTo("9.00"));
        as(tenant, "user").get("/api/v1/contract/statements/2026-13").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("month"));
    }

    /** A RateChanged as mailbox-service publishes it (contract/mailbox-events/RateChanged.v1.schema.json). */
    static MailboxEventsFixture.Sent rateChanged(MailboxEventsFixture events, String tenant, UUID mailbox,
            String address, String previousRate, String rate, Instant at) {
        return events.send(tenant, "RateChanged", mailbox.toString(), at, "{\"mailboxId\":\"" + mailbox
                + "\",\"address\":\"" + address + "\",\"previousRate\":\"" + previousRate + "\",\"rate\":\"" + rate
                + "\"}");
    }

    @Test
    void aRateChangeBillsTheNewRateFromItsDayOnceAndPublishesContractUpdated() throws Exception {
        String tenant = newTenant();
        UUID anna = UUID.randomUUID();
        String topic = ConfigProvider.getConfig().getValue("mp.messaging.outgoing.billing-events.topic", String.class);
        try (TopicProbe billingEvents = TopicProbe.open(topic)) {
            events.mailboxCreated(tenant, anna, "anna@rate.de", "MAIL_STANDARD", Instant.parse("2026-10-20T09:00:00Z"));
            Instant changedAt = Instant.parse("2026-11-11T09:00:00Z");
            var change = rateChanged(events, tenant, anna, "anna@rate.de", "MAIL_STANDARD", "MAIL_PREMIUM", changedAt);
            awaitRevision(tenant, 2);
            events.resend(change); // redelivered: no new line, revision or ContractUpdated
            events.resend(change);
            events.mailboxCreated(tenant, UUID.randomUUID(), "bob@rate.de", "MAIL_LIGHT",
                    Instant.parse("2026-12-02T09:00:00Z")); // consumed after the redeliveries
            awaitRevision(tenant, 3);

            as(tenant, "user").get("/api/v1/contract").then()
                    .body("mailboxes.address", contains("anna@rate.de", "bob@rate.de"))
                    .body("mailboxes[0].rate", equalTo("MAIL_PREMIUM"))
                    .body("mailboxes[0].rateName", equalTo("Mail Premium"))
                    .body("mailboxes[0].monthlyNetPrice", equalTo("9.00"))
                    .body("mailboxes[0].since", equalTo(changedAt.toString()))
                    .body("monthlyNetTotal", equalTo("10.00"));
            as(tenant, "user").get("/api/v1/contract/revisions").then()
                    .body("revision", contains(3, 2, 1))
                    .body("cause.type", contains("MailboxCreated", "RateChanged", "MailboxCreated"))
                    .body("[1].cause.eventId", equalTo(change.id().toString()))
                    .body("[1].cause.subject", equalTo(anna.toString()))
                    .body("[1].occurredAt", equalTo(changedAt.toString()))
                    .body("[1].change", equalTo(
                            "Mailbox anna@rate.de changed from rate MAIL_STANDARD to MAIL_PREMIUM (9.00 EUR net per month)"))
                    .body("monthlyNetTotal", contains("10.00", "9.00", "3.00"));
            // The change's day (11 November in Berlin) is billed once, at the new rate.
            as(tenant, "user").get("/api/v1/contract/statements/2026-11").then().statusCode(200)
                    .body("lines.kind", contains("BASIC_FEE", "MAILBOX", "MAILBOX"))
                    .body("lines.priceId", contains("BUSINESS_RESELLER", "MAIL_STANDARD", "MAIL_PREMIUM"))
                    .body("lines.from", contains("2026-11-01", "2026-11-01", "2026-11-11"))
                    .body("lines.to", contains("2026-11-30", "2026-11-10", "2026-11-30"))
                    .body("lines.days", contains(30, 10, 20))
                    .body("lines.net", contains("0.00", "1.00", "6.00"))
                    .body("netTotal", equalTo("7.00"));
            as(tenant, "user").get("/api/v1/contract/statements/2026-10").then()
                    .body("lines.priceId", contains("BUSINESS_RESELLER", "MAIL_STANDARD"))
                    .body("lines.days", contains(12, 12)); // both from the contract's first day, 20 October

            await().atMost(WAIT).until(() -> unpublished() == 0);
            List<ConsumerRecord<String, String>> updates = billingEvents.await(TopicProbe.keyed(tenant), 3, WAIT);
            assertThat(billingEvents.readToEnd(TopicProbe.keyed(tenant)))
                    .extracting(r -> JsonPath.from(r.value()).getInt("revision")).containsExactly(1, 2, 3);
            ConsumerRecord<String, String> changed = updates.get(1);
            assertThat(TopicProbe.header(changed, "ce_causationid")).isEqualTo(change.id().toString());
            var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(Files.readString(
                    LocalInfrastructure.repositoryRoot().resolve("contract/billing-events/ContractUpdated.v1.schema.json")));
            assertThat(schema.validate(new com.fasterxml.jackson.databind.ObjectMapper().readTree(changed.value())))
                    .isEmpty();
            assertThat(JsonPath.from(changed.value()).getString("cause.type")).isEqualTo("RateChanged");
            assertThat(JsonPath.from(changed.value()).getString("monthlyNetTotal")).isEqualTo("9.00");
        }
    }

    @Test
    void aRateChangeForAMailboxWithoutAnOpenLineChangesNothing() {
        String tenant = newTenant();
        UUID anna = UUID.randomUUID();
        events.mailboxCreated(tenant, anna, "anna@gone.de", "MAIL_LIGHT", Instant.parse("2026-11-02T09:00:00Z"));
        events.mailboxDeleted(tenant, anna, "anna@gone.de", "MAIL_LIGHT", Instant.parse("2026-11-03T09:00:00Z"));
        rateChanged(events, tenant, anna, "anna@gone.de", "MAIL_LIGHT", "MAIL_PREMIUM", Instant.parse("2026-11-04T09:00:00Z"));
        rateChanged(events, tenant, UUID.randomUUID(), "nobody@gone.de", "MAIL_LIGHT", "MAIL_PREMIUM",
                Instant.parse("2026-11-04T09:00:00Z"));
        var marker = events.feeChanged(tenant, "BUSINESS_RESELLER", "BUSINESS_SUPPORT", Instant.parse("2026-11-05T09:00:00Z"));
        awaitRevision(tenant, 3);
        as(tenant, "user").get("/api/v1/contract/revisions").then()
                .body("cause.type", contains("FeeChanged", "MailboxDeleted", "MailboxCreated"))
                .body("[0].cause.eventId", equalTo(marker.id().toString()));
        as(tenant, "user").get("/api/v1/contract/statements/2026-11").then()
                .body("lines.priceId", contains("BUSINESS_RESELLER", "BUSINESS_SUPPORT", "MAIL_LIGHT"));
    }

    @Test
    void aRedeliveredEventChangesNothing() {
        String tenant = newTenant();
        var created = events.mailboxCreated(tenant, UUID.randomUUID(), "anna@dup.de", "MAIL_LIGHT", Instant.now());
        awaitRevision(tenant, 1);
        events.resend(created);
        events.resend(created);
        var marker = events.mailboxCreated(tenant, UUID.randomUUID(), "bob@dup.de", "MAIL_LIGHT", Instant.now());
        awaitRevision(tenant, 2);
        as(tenant, "user").get("/api/v1/contract").then().body("mailboxes", hasSize(2))
                .body("monthlyNetTotal", equalTo("2.00"));
        as(tenant, "user").get("/api/v1/contract/revisions").then()
                .body("cause.eventId", contains(marker.id().toString(), created.id().toString()));
    }

    @Test
    void poisonMessagesGoToTheDeadLetterTopicAndConsumptionGoesOn() {
        String tenant = newTenant();
        String dlq = ConfigProvider.getConfig()
                .getValue("mp.messaging.incoming.mailbox-events.dead-letter-queue.topic", String.class);
        try (TopicProbe deadLetters = TopicProbe.open(dlq)) {
            events.send(tenant, "MailboxCreated", "x", Instant.now(), "{not json");
            events.send(tenant, "MailboxCreated", "x", Instant.now(), "{\"mailboxId\":\"" + UUID.randomUUID() + "\"}");
            events.send(tenant, "SomethingNew", "x", Instant.now(), "{\"unknown\":true}"); // skipped, not poison
            events.mailboxCreated(tenant, UUID.randomUUID(), "ok@poison.de", "MAIL_LIGHT", Instant.now());
            awaitRevision(tenant, 1);
            List<ConsumerRecord<String, String>> dead = deadLetters.await(TopicProbe.keyed(tenant), 2, WAIT);
            assertThat(dead).extracting(r -> TopicProbe.header(r, "dead-letter-reason"))
                    .satisfiesExactly(reason -> assertThat(reason).contains("not JSON"),
                            reason -> assertThat(reason).contains("violates"));
            assertThat(dead).allSatisfy(r -> assertThat(TopicProbe.header(r, "ce_type")).isEqualTo("MailboxCreated"));
            // A last poison record: once its dead letter is there, every earlier one of the tenant is too.
            events.send(tenant, "FeeChanged", "marker", Instant.now(), "{not json either");
            deadLetters.await(TopicProbe.keyed(tenant).and(r -> "marker".equals(TopicProbe.header(r, "ce_subject"))), 1,
                    WAIT);
            assertThat(deadLetters.readToEnd(TopicProbe.keyed(tenant))).extracting(r -> TopicProbe.header(r, "ce_subject"))
                    .containsExactly("x", "x", "marker");
        }
    }

    @Test
    void anEventWithARateTheCatalogDoesNotKnowIsDeadLetteredAfterItsAttemptsAndTheTenantsBehindItOnItsPartitionGoOn() {
        List<String> tenants = SamePartition.tenants("t-rate", 2);
        String dlq = ConfigProvider.getConfig()
                .getValue("mp.messaging.incoming.mailbox-events.dead-letter-queue.topic", String.class);
        int maxAttempts = ConfigProvider.getConfig().getValue("mailops.consumer.max-attempts", Integer.class);
        try (TopicProbe deadLetters = TopicProbe.open(dlq)) {
            var unknown = events.mailboxCreated(tenants.get(0), UUID.randomUUID(), "gold@rate.de", "MAIL_GOLD", Instant.now());
            events.mailboxCreated(tenants.get(1), UUID.randomUUID(), "ok@rate.de", "MAIL_LIGHT", Instant.now());

            awaitRevision(tenants.get(1), 1);
            ConsumerRecord<String, String> dead = deadLetters.await(TopicProbe.keyed(tenants.get(0)), 1, WAIT).get(0);
            assertThat(TopicProbe.header(dead, "ce_id")).isEqualTo(unknown.id().toString());
            assertThat(TopicProbe.header(dead, "dead-letter-reason")).startsWith("failed " + maxAttempts + " times")
                    .contains("IllegalStateException: Rate MAIL_GOLD of mailbox");
            assertThat(TopicProbe.header(dead, "dead-letter-attempts")).isEqualTo(String.valueOf(maxAttempts));
        }
        as(tenants.get(0), "user").get("/api/v1/contract").then().body("revision", equalTo(0));
    }

    @Test
    void aNoticeTheServerKeepsRefusingIsMarkedFailedWhileTheOthersAreSent() throws Exception {
        String refusedTenant = newTenant();
        String laterTenant = newTenant();
        String refused = "billing+" + refusedTenant + "@example.com";
        String later = "billing+" + laterTenant + "@example.com";
        int maxAttempts = ConfigProvider.getConfig().getValue("billing.mail.max-attempts", Integer.class);
        double failedBefore = failedNotices();
        SmtpServer.refuse(refused);
        SmtpServer.refuse(later);
        try {
            as(refusedTenant, "admin").body(address(refusedTenant, "DE")).put("/api/v1/contract/billing-address").then()
                    .statusCode(200);
            as(laterTenant, "admin").body(address(laterTenant, "DE")).put("/api/v1/contract/billing-address").then()
                    .statusCode(200);
            var first = events.feeChanged(refusedTenant, "BUSINESS_RESELLER", "BUSINESS_PREMIUM", Instant.now());
            awaitRevision(refusedTenant, 1);
            await().atMost(WAIT).until(() -> notice(first.id()).attempts() >= 1);
            var second = events.feeChanged(laterTenant, "BUSINESS_RESELLER", "BUSINESS_PREMIUM", Instant.now());
            awaitRevision(laterTenant, 1);
            await().atMost(WAIT).until(() -> notice(second.id()).attempts() >= 1);

            // The older notice is still refused; the later one is accepted again and must not wait for it.
            SmtpServer.accept(later);
            await().atMost(WAIT).until(() -> mailsTo(later).size() == 1);
            await().atMost(WAIT).until(() -> notice(first.id()).failed());
            NoticeRow given = notice(first.id());
            assertThat(given.attempts()).isEqualTo(maxAttempts);
            assertThat(given.lastError()).contains("550 5.1.1", refused);
            assertThat(mailsTo(refused)).isEmpty();
            assertThat(notice(second.id()).sent()).isTrue();
            assertThat(failedNotices() - failedBefore).isEqualTo(1.0);
        } finally {
            SmtpServer.accept(refused);
            SmtpServer.accept(later);
        }
    }

    record NoticeRow(int attempts, boolean sent, boolean failed, String lastError) {
    }

    NoticeRow notice(UUID causeEventId) throws Exception {
        try (var connection = dataSource.getConnection();
             var statement = connection.prepareStatement(
                     "select attempts, sent_at, failed_at, last_error from notification where cause_event_id = ?")) {
            statement.setObject(1, causeEventId);
            try (var rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return new NoticeRow(0, false, false, null);
                }
                return new NoticeRow(rows.getInt(1), rows.getTimestamp(2) != null, rows.getTimestamp(3) != null,
                        rows.getString(4));
            }
        }
    }

    double failedNotices() {
        Counter counter = meters.find("billing.notices.failed").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aBasicFeeChangeMailsTheTenantAndPublishesContractUpdated() throws Exception {
        String tenant = newTenant();
        as(tenant, "admin").body(address(tenant, "DE")).put("/api/v1/contract/billing-address").then().statusCode(200);
        String topic = ConfigProvider.getConfig().getValue("mp.messaging.outgoing.billing-events.topic", String.class);
        try (TopicProbe billingEvents = TopicProbe.open(topic)) {
            var change = events.feeChanged(tenant, "BUSINESS_RESELLER", "BUSINESS_PREMIUM", Instant.now());
            awaitRevision(tenant, 1);

            ConsumerRecord<String, String> updated = billingEvents.await(TopicProbe.keyed(tenant), 1, WAIT).get(0);
            assertThat(TopicProbe.header(updated, "ce_type")).isEqualTo("ContractUpdated");
            assertThat(TopicProbe.header(updated, "ce_source")).isEqualTo("/mailops/billing-service");
            assertThat(TopicProbe.header(updated, "ce_dataschema"))
                    .isEqualTo("urn:mailops:schema:billing-events:ContractUpdated:v1");
            assertThat(TopicProbe.header(updated, "ce_causationid")).isEqualTo(change.id().toString());
            var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(Files.readString(
                    LocalInfrastructure.repositoryRoot().resolve("contract/billing-events/ContractUpdated.v1.schema.json")));
            assertThat(schema.validate(new com.fasterxml.jackson.databind.ObjectMapper().readTree(updated.value())))
                    .isEmpty();
            assertThat(updated.value()).contains("\"basicFeePlan\":\"BUSINESS_PREMIUM\"", "\"revision\":1");

            await().atMost(WAIT).until(() -> mailsTo("billing+" + tenant + "@example.com").size() == 1);
            MimeMessage mail = mailsTo("billing+" + tenant + "@example.com").get(0);
            assertThat(mail.getSubject()).isEqualTo("Your basic fee is now Business Premium");
            assertThat(mail.getContent().toString()).contains("Business Reseller", "Business Premium", "14.90 EUR");

            events.resend(change); // redelivered: no second ContractUpdated, no second mail
            events.feeChanged(tenant, "BUSINESS_PREMIUM", "BUSINESS_SUPPORT", Instant.now()); // consumed after it
            awaitRevision(tenant, 2);
            await().atMost(WAIT).until(() -> unpublished() == 0);
            assertThat(billingEvents.readToEnd(TopicProbe.keyed(tenant)))
                    .extracting(r -> JsonPath.from(r.value()).getInt("revision")).containsExactly(1, 2);
            await().atMost(WAIT).until(() -> mailsTo("billing+" + tenant + "@example.com").size() == 2);
            assertThat(mailsTo("billing+" + tenant + "@example.com")).extracting(MimeMessage::getSubject)
                    .containsExactlyInAnyOrder("Your basic fee is now Business Premium",
                            "Your basic fee is now Business Support");
        }
    }

    @Test
    void theBillingAddressIsValidatedAndOnlyAdminsChangeIt() {
        String tenant = newTenant();
        as(tenant, "user").get("/api/v1/contract/billing-address").then().statusCode(404);
        as(tenant, "user").body(address(tenant, "DE")).put("/api/v1/contract/billing-address").then().statusCode(403);
        as(tenant, "admin").body(Map.of("company", "", "street", "x", "postalCode", "1", "city", "y",
                "country", "XX", "email", "nope")).put("/api/v1/contract/billing-address").then().statusCode(400)
                .body("errors.field", contains("company", "country", "email"));
        given().get("/api/v1/contract").then().statusCode(401);
        as(tenant, "admin").body(address(tenant, "GB")).put("/api/v1/contract/billing-address").then().statusCode(200);
        as(tenant, "user").get("/api/v1/contract").then().body("vat.country", equalTo("GB"))
                .body("billingAddress.email", equalTo("billing+" + tenant + "@example.com"));
        as(newTenant(), "user").get("/api/v1/contract").then().body("billingAddress", nullValue());
    }

    @Test
    void aBillingAddressChangeIsDatedByTheServicesClock() {
        String tenant = newTenant();
        Instant entered = Instant.parse("2027-01-15T09:30:00.123456Z");
        clock.set(entered);
        try {
            as(tenant, "admin").body(address(tenant, "DE")).put("/api/v1/contract/billing-address").then()
                    .statusCode(200).body("updatedAt", equalTo(entered.toString()));
            clock.advance(Duration.ofDays(40));
            as(tenant, "admin").body(address(tenant, "AT")).put("/api/v1/contract/billing-address").then()
                    .statusCode(200);
            as(tenant, "user").get("/api/v1/contract/billing-address").then()
                    .body("country", equalTo("AT"))
                    .body("updatedAt", equalTo(entered.plus(Duration.ofDays(40)).toString()));
        } finally {
            clock.release();
        }
    }

    @Test
    void thePriceListIsServed() {
        as(newTenant(), "user").get("/api/v1/rates").then().statusCode(200)
                .body("id", contains("MAIL_LIGHT", "MAIL_STANDARD", "MAIL_PREMIUM"))
                .body("aliasLimit", contains(3, 25, 50))
                .body("monthlyNetPrice", contains("1.00", "3.00", "9.00"));
        as(newTenant(), "user").get("/api/v1/basic-fees").then()
                .body("find { it.default }.id", equalTo("BUSINESS_RESELLER"))
                .body("find { it.id == 'BUSINESS_SUPPORT' }.providerSupport", equalTo(true));
    }

    static Map<String, String> address(String tenant, String country) {
        return Map.of("company", "Shop GmbH", "street", "Hauptstr. 1", "postalCode", "10115", "city", "Berlin",
                "country", country, "email", "billing+" + tenant + "@example.com");
    }

    /** Events in billing's outbox not yet acknowledged by the broker. */
    long unpublished() throws Exception {
        try (var connection = dataSource.getConnection();
             var statement = connection.createStatement();
             var rows = statement.executeQuery("select count(*) from outbox")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    static List<MimeMessage> mailsTo(String recipient) throws Exception {
        List<MimeMessage> found = new java.util.ArrayList<>();
        for (MimeMessage message : SmtpServer.server().getReceivedMessages()) {
            if (message.getAllRecipients()[0].toString().equals(recipient)) {
                found.add(message);
            }
        }
        return found;
    }
}
