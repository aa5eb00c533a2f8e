package dev.mailops.mailbox.address;

import static dev.mailops.mailbox.Api.addAlias;
import static dev.mailops.mailbox.Api.admin;
import static dev.mailops.mailbox.Api.alias;
import static dev.mailops.mailbox.Api.createMailbox;
import static dev.mailops.mailbox.Api.mailbox;
import static dev.mailops.mailbox.Api.newDomain;
import static dev.mailops.mailbox.Api.newTenant;
import static dev.mailops.mailbox.Api.registerDomain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasSize;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.testinfra.TestInfrastructure;

@QuarkusTest
class ConcurrencyTest {

    private static final ExecutorService CLIENTS = Executors.newFixedThreadPool(4);
    private static final String DATABASE = "mailbox_test";

    @AfterAll
    static void stopClients() {
        CLIENTS.shutdownNow();
    }

    @Test
    void twoSimultaneousCreatesOfOneAddressHaveExactlyOneWinner() throws Exception {
        String tenant = newTenant();
        String domain = newDomain();
        registerDomain(tenant, domain);
        for (int round = 0; round < 10; round++) {
            String local = "race" + round;
            List<Integer> statuses = simultaneously(2, () -> admin(tenant).body(mailbox(local, domain, "MAIL_LIGHT"))
                    .post("/api/v1/mailboxes").statusCode());
            assertThat(statuses).as("round %d", round).containsExactlyInAnyOrder(201, 409);
        }
        admin(tenant).queryParam("size", 100).get("/api/v1/mailboxes").then().body("items", hasSize(10));
    }

    /**
     * Holds another transaction's uncommitted claim on the address while the API creates it, so the
     * create really meets the claim in flight: it must wait, then lose (commit) or win (rollback).
     */
    @Test
    void aCreateMeetingAnUncommittedClaimWaitsForItsOutcome() throws Exception {
        String tenant = newTenant();
        String domain = newDomain();
        registerDomain(tenant, domain);
        for (boolean commit : List.of(true, false)) {
            String address = (commit ? "lost" : "won") + "@" + domain;
            try (Connection other = DriverManager.getConnection(TestInfrastructure.jdbcUrl(DATABASE),
                    TestInfrastructure.pgUser(), TestInfrastructure.pgPassword())) {
                other.setAutoCommit(false);
                int otherPid = backendPid(other);
                try (PreparedStatement claim = other.prepareStatement("insert into address_claim"
                        + " (address, tenant_id, mailbox_id, kind) values (?, ?, gen_random_uuid(), 'MAILBOX')")) {
                    claim.setString(1, address);
                    claim.setString(2, tenant);
                    claim.executeUpdate();
                }
                Future<Integer> create = CLIENTS.submit(() -> admin(tenant)
                        .body(mailbox(address.substring(0, address.indexOf('@')), domain, "MAIL_LIGHT"))
                        .post("/api/v1/mailboxes").statusCode());
                // The create has reached the claim once its transaction waits for the other one's lock.
                await().atMost(Duration.ofSeconds(20)).until(() -> blockedBy(otherPid) || create.isDone());
                assertThat(create.isDone()).as("the create returned without waiting for the claim in flight").isFalse();
                if (commit) {
                    other.commit();
                } else {
                    other.rollback();
                }
                assertThat(create.get(30, TimeUnit.SECONDS)).isEqualTo(commit ? 409 : 201);
            }
        }
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet pid = statement.executeQuery("select pg_backend_pid()")) {
            pid.next();
            return pid.getInt(1);
        }
    }

    /** Whether some other session of the test database is waiting for a lock the given session holds. */
    private static boolean blockedBy(int pid) throws SQLException {
        try (Connection observer = DriverManager.getConnection(TestInfrastructure.jdbcUrl(DATABASE),
                TestInfrastructure.pgUser(), TestInfrastructure.pgPassword());
                PreparedStatement waiting = observer.prepareStatement(
                        "select count(*) from pg_stat_activity where ? = any(pg_blocking_pids(pid))")) {
            waiting.setInt(1, pid);
            try (ResultSet count = waiting.executeQuery()) {
                count.next();
                return count.getInt(1) > 0;
            }
        }
    }

    @Test
    void simultaneousAliasesNeverExceedTheRatesLimit() throws Exception {
        String tenant = newTenant();
        String domain = newDomain();
        registerDomain(tenant, domain);
        String id = createMailbox(tenant, "anna", domain, "MAIL_LIGHT");
        addAlias(tenant, id, "a", domain);
        addAlias(tenant, id, "b", domain);
        List<String> locals = List.of("w", "x", "y", "z");
        List<Integer> statuses = simultaneously(4, index -> admin(tenant).body(alias(locals.get(index), domain))
                .post("/api/v1/mailboxes/" + id + "/aliases").statusCode());
        assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
        assertThat(statuses).filteredOn(status -> status == 409).hasSize(3);
        admin(tenant).get("/api/v1/mailboxes/" + id).then().body("aliases", hasSize(3));
    }

    private static List<Integer> simultaneously(int clients, Callable<Integer> request) throws Exception {
        return simultaneously(clients, index -> request.call());
    }

    interface IndexedRequest {
        int send(int index) throws Exception;
    }

    private static List<Integer> simultaneously(int clients, IndexedRequest request) throws Exception {
        CyclicBarrier start = new CyclicBarrier(clients);
        List<Future<Integer>> responses = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int index = i;
            responses.add(CLIENTS.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return request.send(index);
            }));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> response : responses) {
            statuses.add(response.get(30, TimeUnit.SECONDS));
        }
        return statuses;
    }
}
