package dev.mailops.billing.contract;

import static dev.mailops.billing.contract.ContractFlowTest.as;
import static dev.mailops.billing.contract.ContractFlowTest.awaitRevision;
import static dev.mailops.billing.contract.ContractFlowTest.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.testinfra.MailboxEventsFixture;

@QuarkusTest
class ReplayTest {

    static MailboxEventsFixture events;

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
            events.mailboxDeleted(tenant, mailboxes.get(1), "m1@" + tenant + ".de", "MAIL_PREMIUM",
                    start.plusSeconds(86_400L * 45));
            events.resend(events.sent().get(events.sent().size() - 1)); // a duplicate on the topic, too
            awaitRevision(tenant, 4 + t + 2);
        }
        List<String> before = snapshot(tenants);

        var result = as("operations", "operator").post("/api/v1/operations/replay").then().statusCode(200)
                .extract().jsonPath();
        assertThat(result.getLong("records")).isGreaterThanOrEqualTo(events.sent().size());
        assertThat(result.getLong("applied")).isLessThan(result.getLong("records")); // the duplicates

        assertThat(snapshot(tenants)).isEqualTo(before);
        as(newTenant(), "admin").post("/api/v1/operations/replay").then().statusCode(403);
    }

    private static List<String> snapshot(List<String> tenants) {
        List<String> views = new ArrayList<>();
        for (String tenant : tenants) {
            views.add(as(tenant, "user").get("/api/v1/contract").asString());
            views.add(as(tenant, "user").get("/api/v1/contract/revisions").asString());
            for (String month : List.of("2026-09", "2026-10", "2026-11")) {
                views.add(as(tenant, "user").get("/api/v1/contract/statements/" + month).asString());
            }
        }
        return views;
    }
}
