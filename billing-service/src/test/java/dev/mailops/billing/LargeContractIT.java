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
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.billing.api.ContractViews;
import dev.mailops.testinfra.PackagedService;
import dev.mailops.testinfra.ServiceProcess;
import dev.mailops.testinfra.TestInfrastructure;

/**
 * The packaged billing-service with a deployed service's heap (96 MB) and a tenant of 12,003 mailboxes: eight
 * clients read its contract, then this month's statement, at once, and each gets every mailbox once, in
 * order, with the right totals, while the service stays up. Built whole before they were written, eight such
 * reads of either ran the heap out (OutOfMemoryError: the service stopped).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeContractIT {

    static final String TENANT = "big-shop";
    static final int MAILBOXES = 12_000;
    static final int READERS = 8;
    static final ZoneId BILLING_ZONE = ZoneId.of("Europe/Berlin");

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String topic = "large-" + run + ".mailbox.events";
    final String database = "billing_large_" + run;
    final ObjectMapper json = new ObjectMapper();
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    ServiceProcess service;

    @BeforeAll
    void startWithALargeContract() throws Exception {
        service = PackagedService.underTest()
                .database(database)
                .consuming(topic, "billing-" + run, topic + ".dlq")
                .publishing("billing-events", "large-" + run + ".billing.events")
                .deployedHeap()
                .start();
        storeContract();
    }

    @AfterEach
    void stillUp() throws Exception {
        assertThat(ProcessHandle.of(service.pid()).map(ProcessHandle::isAlive)).contains(true);
        assertThat(Files.readString(service.log())).doesNotContain("OutOfMemoryError");
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.kill(); // nothing of it is kept, so no graceful shutdown to wait for
        }
        TestInfrastructure.settings().deleteTopics("large-" + run + ".");
    }

    @Test
    void eightClientsReadAContractOfTwelveThousandMailboxesAtOnceInADeployedHeap() throws Exception {
        List<UUID> expected = mailboxIds("ends_at is null", "address, mailbox_id");
        readAtOnce("/api/v1/contract", contract -> {
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
            assertThat(fieldNames(contract)).as("no billing address here, so that field is left out")
                    .containsExactly(components(ContractViews.Contract.class, "billingAddress"));
        });
    }

    @Test
    void eightClientsReadTheMonthsStatementOfTwelveThousandMailboxesAtOnceInADeployedHeap() throws Exception {
        YearMonth month = YearMonth.now(BILLING_ZONE);
        // every line here overlaps this month, the ended one too: it ended now
        List<UUID> expected = mailboxIds("true", "address, starts_at, id");
        readAtOnce("/api/v1/contract/statements/" + month, statement -> {
            assertThat(statement.get("month").asText()).isEqualTo(month.toString());
            assertThat(statement.get("contractRevision").asInt()).isEqualTo(7);
            JsonNode lines = statement.get("lines");
            assertThat(lines.get(0).get("kind").asText()).isEqualTo("BASIC_FEE");
            assertThat(lines.get(0).get("priceId").asText()).isEqualTo("BUSINESS_PREMIUM");
            List<UUID> listed = new ArrayList<>();
            BigDecimal net = BigDecimal.ZERO;
            for (JsonNode line : lines) {
                net = net.add(new BigDecimal(line.get("net").asText()));
                if (line.get("kind").asText().equals("MAILBOX")) {
                    listed.add(UUID.fromString(line.get("reference").asText()));
                    assertThat(line.get("days").asLong()).isBetween(1L, (long) month.lengthOfMonth());
                    assertThat(line.get("daysInMonth").asInt()).isEqualTo(month.lengthOfMonth());
                }
            }
            assertThat(listed).as("every line of the month once, by address").isEqualTo(expected);
            assertThat(new BigDecimal(statement.get("netTotal").asText())).isEqualByComparingTo(net);
            assertThat(new BigDecimal(statement.get("grossTotal").asText())).isEqualByComparingTo(
                    net.add(new BigDecimal(statement.get("vat").get("amount").asText())));
            assertThat(fieldNames(statement)).containsExactly(components(ContractViews.Statement.class));
        });
    }

    /** Eight clients GET the path at once; each answer must be a 200 that passes the check. */
    private void readAtOnce(String path, Consumer<JsonNode> check) throws Exception {
        HttpRequest read = HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
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
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                check.accept(json.readTree(response.body()));
            }
        } finally {
            readers.shutdownNow();
        }
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> fields = new ArrayList<>();
        object.fieldNames().forEachRemaining(fields::add);
        return fields;
    }

    private static String[] components(Class<? extends Record> view, String... leftOut) {
        return Arrays.stream(view.getRecordComponents()).map(RecordComponent::getName)
                .filter(name -> !List.of(leftOut).contains(name)).toArray(String[]::new);
    }

    /**
     * The contract as the consumer leaves it: a basic fee since 40 days, 12,000 open lines, three more sharing
     * one address, and an ended one that is no longer on the contract but still on this month's statement.
     */
    private void storeContract() throws Exception {
        try (Connection db = TestInfrastructure.settings().connect(database)) {
            db.createStatement().execute("""
                    insert into contract (tenant_id, revision, basic_fee_plan, created_at, updated_at)
                    values ('%1$s', 7, 'BUSINESS_PREMIUM', now(), now());
                    insert into basic_fee_period (tenant_id, plan, monthly_net_price, starts_at)
                    values ('%1$s', 'BUSINESS_PREMIUM', 14.90, now() - interval '40 days')""".formatted(TENANT));
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
        }
    }

    /** The mailbox ids of the tenant's lines that match, in the order the database sorts them. */
    private List<UUID> mailboxIds(String condition, String order) throws Exception {
        try (Connection db = TestInfrastructure.settings().connect(database);
                ResultSet rows = db.createStatement().executeQuery("select mailbox_id from contract_line where tenant_id = '"
                        + TENANT + "' and " + condition + " order by " + order)) {
            List<UUID> ids = new ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getObject(1, UUID.class));
            }
            assertThat(ids).hasSizeGreaterThan(MAILBOXES);
            return ids;
        }
    }
}
