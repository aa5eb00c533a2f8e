package dev.mailops.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.billing.api.ContractViews;
import dev.mailops.testinfra.PackagedService;
import dev.mailops.testinfra.ServiceProcess;
import dev.mailops.testinfra.TestInfrastructure;

/**
 * The packaged billing-service with a deployed service's heap (96 MB) and a tenant of 12,003 mailboxes: eight
 * clients read its contract at once, and each gets every mailbox once, in order, with the right totals,
 * while the service stays up. Built whole before it was written, eight such reads ran the heap out
 * (OutOfMemoryError: the service stopped).
 */
class LargeContractIT {

    static final String TENANT = "big-shop";
    static final int MAILBOXES = 12_000;
    static final int READERS = 8;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String topic = "large-" + run + ".mailbox.events";
    final String database = "billing_large_" + run;
    final ObjectMapper json = new ObjectMapper();
    ServiceProcess service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.kill(); // nothing of it is kept, so no graceful shutdown to wait for
        }
        TestInfrastructure.settings().deleteTopics("large-" + run + ".");
    }

    @Test
    void eightClientsReadAContractOfTwelveThousandMailboxesAtOnceInADeployedHeap() throws Exception {
        service = PackagedService.underTest()
                .database(database)
                .consuming(topic, "billing-" + run, topic + ".dlq")
                .publishing("billing-events", "large-" + run + ".billing.events")
                .deployedHeap()
                .start();
        List<UUID> expected = storeContract();

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest read = HttpRequest.newBuilder(URI.create(service.baseUrl() + "/api/v1/contract"))
                .header("X-Gateway-Token", PackagedService.TEST_GATEWAY_TOKEN).header("X-Tenant-Id", TENANT)
                .timeout(Duration.ofSeconds(120)).build();
        ExecutorService readers = Executors.newFixedThreadPool(READERS);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < READERS; i++) {
                answers.add(readers.submit(() -> client.send(read, HttpResponse.BodyHandlers.ofString())));
            }
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                assertThat(response.statusCode()).isEqualTo(200);
                JsonNode contract = json.readTree(response.body());
                List<UUID> listed = new ArrayList<>();
                contract.get("mailboxes").forEach(mailbox -> listed.add(UUID.fromString(mailbox.get("mailboxId").asText())));
                assertThat(listed).as("every open line once, by address").isEqualTo(expected);
                assertThat(contract.get("revision").asInt()).isEqualTo(7);
                assertThat(contract.get("basicFee").get("plan").asText()).isEqualTo("BUSINESS_PREMIUM");
                assertThat(new BigDecimal(contract.get("monthlyNetTotal").asText()))
                        .isEqualByComparingTo(new BigDecimal("14.90").add(new BigDecimal("3.00").multiply(BigDecimal.valueOf(expected.size()))));
                assertThat(contract.get("vat").get("amount").asText()).isNotBlank();
                assertThat(contract.has("updatedAt")).isTrue();
                // ContractJson writes the fields of ContractViews.Contract by name: they must not drift apart
                List<String> fields = new ArrayList<>();
                contract.fieldNames().forEachRemaining(fields::add);
                assertThat(fields).as("no billing address here, so that field is left out").containsExactly(
                        Arrays.stream(ContractViews.Contract.class.getRecordComponents()).map(RecordComponent::getName)
                                .filter(name -> !name.equals("billingAddress")).toArray(String[]::new));
            }
        } finally {
            readers.shutdownNow();
        }
        assertThat(ProcessHandle.of(service.pid()).map(ProcessHandle::isAlive)).contains(true);
        assertThat(Files.readString(service.log())).doesNotContain("OutOfMemoryError");
    }

    /**
     * The contract as the consumer leaves it: 12,000 open lines, three more sharing one address (ordered by
     * mailbox id among themselves), and an ended one that is no longer listed. Returns the open lines' mailbox
     * ids in the order the database sorts them.
     */
    private List<UUID> storeContract() throws Exception {
        try (Connection db = TestInfrastructure.settings().connect(database)) {
            db.createStatement().execute("""
                    insert into contract (tenant_id, revision, basic_fee_plan, created_at, updated_at)
                    values ('%s', 7, 'BUSINESS_PREMIUM', now(), now())""".formatted(TENANT));
            try (PreparedStatement lines = db.prepareStatement("""
                    insert into contract_line (mailbox_id, tenant_id, address, rate, monthly_net_price, starts_at, ends_at)
                    select gen_random_uuid(), ?, a.address, 'MAIL_STANDARD', 3.00, now() - interval '1 day', a.ended
                    from (select 'm' || lpad(i::text, 5, '0') || '@big.example' as address, null::timestamptz as ended
                            from generate_series(1, ?) i
                          union all select 'shared@big.example', null from generate_series(1, 3)
                          union all select 'gone@big.example', now()) a""")) {
                lines.setString(1, TENANT);
                lines.setInt(2, MAILBOXES);
                lines.executeUpdate();
            }
            List<UUID> ids = new ArrayList<>();
            try (ResultSet open = db.createStatement().executeQuery("""
                    select mailbox_id from contract_line where tenant_id = '%s' and ends_at is null
                    order by address, mailbox_id""".formatted(TENANT))) {
                while (open.next()) {
                    ids.add(open.getObject(1, UUID.class));
                }
            }
            assertThat(ids).hasSize(MAILBOXES + 3);
            return ids;
        }
    }
}
