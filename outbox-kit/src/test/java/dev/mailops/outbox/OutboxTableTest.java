package dev.mailops.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.testinfra.LocalInfrastructure;
import dev.mailops.testinfra.TestInfrastructure;

/**
 * The outbox table as billing-service and dns-service create it, and a further outbox keyed by
 * subject as mailbox-service creates its credentials outbox, against the real PostgreSQL.
 */
class OutboxTableTest {

    private static final Path BILLING_OUTBOX = Path.of("billing-service/src/main/resources/db/migration/V3__outbox.sql");
    private static final Path DNS_OUTBOX = Path.of("dns-service/src/main/resources/db/migration/V2__outbox.sql");
    private static final Path CREDENTIALS_OUTBOX =
            Path.of("mailbox-service/src/main/resources/db/migration/V3__credentials_outbox.sql");

    private static PGSimpleDataSource dataSource;
    private final OutboxTable outbox = new OutboxTable(dataSource, new ObjectMapper(), "billing_outbox");

    @BeforeAll
    static void database() {
        TestInfrastructure.ensureDatabase("outbox_test");
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(TestInfrastructure.jdbcUrl("outbox_test"));
        dataSource.setUser(TestInfrastructure.pgUser());
        dataSource.setPassword(TestInfrastructure.pgPassword());
    }

    @BeforeEach
    void freshTable() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("drop table if exists outbox; drop function if exists notify_outbox_relay()");
            statement.execute(migration(BILLING_OUTBOX));
            statement.execute("drop table if exists credentials_outbox;"
                    + " drop function if exists notify_credentials_outbox_relay()");
            statement.execute(migration(CREDENTIALS_OUTBOX));
        }
    }

    @Test
    void everyServiceCreatesTheSameOutboxBesidesItsChannel() throws Exception {
        assertThat(migration(DNS_OUTBOX).replace("dns", "SERVICE"))
                .isEqualTo(migration(BILLING_OUTBOX).replace("billing", "SERVICE"));
    }

    @Test
    void eventsComeOutInTheOrderTheyWentInAndStayUntilRemoved() throws Exception {
        List<OutgoingEvent> events = List.of(event("t-1", "one"), event("t-2", "two"), event("t-1", "three"));
        events.forEach(outbox::append);

        try (Connection relay = dataSource.getConnection()) {
            List<OutboxSource.Pending> firstTwo = outbox.oldest(relay, 2);
            assertThat(firstTwo).extracting(OutboxSource.Pending::event).containsExactlyElementsOf(events.subList(0, 2));
            assertThat(firstTwo.get(0).position()).isLessThan(firstTwo.get(1).position());
            assertThat(outbox.oldest(relay, 10)).hasSize(3);

            outbox.remove(relay, firstTwo);

            assertThat(outbox.oldest(relay, 10)).extracting(OutboxSource.Pending::event).containsExactly(events.get(2));
        }
    }

    @Test
    void theDataIsPublishedAsItsWriterWroteIt() throws Exception {
        OutgoingEvent event = new OutgoingEvent(UUID.randomUUID(), "ContractUpdated", URI.create("urn:x:y:z:v1"), null,
                "t-3", Instant.now().truncatedTo(ChronoUnit.MICROS), Map.of(), "{\"b\":1,  \"a\":[2]}", null);
        outbox.append(event);

        try (Connection relay = dataSource.getConnection()) {
            assertThat(outbox.oldest(relay, 1).get(0).event().data()).isEqualTo("{\"b\":1,  \"a\":[2]}");
        }
    }

    @Test
    void anAppendWakesTheRelayListeningOnTheServicesChannel() throws Exception {
        try (Connection relay = dataSource.getConnection()) {
            try (Statement listen = relay.createStatement()) {
                listen.execute("LISTEN " + outbox.notifyChannel());
            }
            outbox.append(event("t-4", "wake"));

            var notifications = relay.unwrap(PGConnection.class).getNotifications(10_000);
            assertThat(notifications).isNotNull().extracting(n -> n.getName()).contains("billing_outbox");
        }
    }

    @Test
    void everyInstanceOfAServiceCompetesForTheSameRelayLock() {
        // "mailbox" in ASCII: the key mailbox-service's relay used before it moved here, so instances of
        // the old and the new version never act as two active relays during a rolling upgrade.
        assertThat(settings("mailbox").lockKey()).isEqualTo(0x6d61696c626f78L);
        assertThat(settings("billing").lockKey()).isNotEqualTo(settings("dns").lockKey());
        assertThat(settings("billing").lockKey()).isEqualTo(0x62696c6c696e67L);
        assertThat(settings("dns").lockKey()).isEqualTo(0x646e73L);
    }

    @Test
    void aFurtherOutboxOfAServiceHasALockOfItsOwnThatEveryInstanceAgreesOn() {
        assertThat(settings("mailbox-credentials").lockKey())
                .isEqualTo(settings("mailbox-credentials").lockKey())
                .isNotEqualTo(settings("mailbox").lockKey())
                .isNotEqualTo(settings("other-credentials").lockKey());
    }

    @Test
    void anOutboxKeyedBySubjectPublishesUnderTheSubjectAndKeepsTombstones() throws Exception {
        OutboxTable credentials = new OutboxTable(dataSource, new ObjectMapper(), "credentials_outbox",
                "mailbox_credentials_outbox", OutboxTable.RecordKey.SUBJECT);
        String mailbox = UUID.randomUUID().toString();
        OutgoingEvent current = new OutgoingEvent(UUID.randomUUID(), "MailboxCredential",
                OutgoingEvent.schema("mailbox-credentials", "MailboxCredential", 1), mailbox, "t-5",
                Instant.now().truncatedTo(ChronoUnit.MICROS), Map.of(), "{\"mailboxId\":\"" + mailbox + "\"}", null)
                .keyedBy(mailbox);
        OutgoingEvent tombstone = OutgoingEvent.tombstone(UUID.randomUUID(), "MailboxCredential",
                OutgoingEvent.schema("mailbox-credentials", "MailboxCredential", 1), mailbox, "t-5",
                Instant.now().truncatedTo(ChronoUnit.MICROS), null, mailbox);

        try (Connection relay = dataSource.getConnection()) {
            try (Statement listen = relay.createStatement()) {
                listen.execute("LISTEN " + credentials.notifyChannel());
            }
            credentials.append(current);
            credentials.append(tombstone);

            assertThat(credentials.oldest(relay, 10)).extracting(OutboxSource.Pending::event)
                    .containsExactly(current, tombstone);
            assertThat(credentials.oldest(relay, 10).get(1).event().isTombstone()).isTrue();
            assertThat(credentials.oldest(relay, 10)).extracting(pending -> pending.event().key())
                    .containsOnly(mailbox);
            assertThat(relay.unwrap(PGConnection.class).getNotifications(10_000)).isNotNull()
                    .extracting(n -> n.getName()).contains("mailbox_credentials_outbox");
            assertThat(outbox.oldest(relay, 10)).as("the service's other outbox").isEmpty();
        }
        assertThat(credentials.table()).isEqualTo("credentials_outbox");
        assertThat(outbox.table()).isEqualTo("outbox");
    }

    @Test
    void anOutboxRefusesAnEventUnderAnotherKeyThanItsOwn() {
        OutboxTable credentials = new OutboxTable(dataSource, new ObjectMapper(), "credentials_outbox",
                "mailbox_credentials_outbox", OutboxTable.RecordKey.SUBJECT);
        OutgoingEvent byTenant = event("t-6", "mailbox-1");
        assertThatThrownBy(() -> credentials.append(byTenant)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyed by SUBJECT");
        assertThatThrownBy(() -> outbox.append(byTenant.keyedBy("mailbox-1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyed by TENANT");
        assertThatThrownBy(() -> new OutboxTable(dataSource, new ObjectMapper(), "outbox; drop table x", "c",
                OutboxTable.RecordKey.TENANT)).isInstanceOf(IllegalArgumentException.class);
    }

    private static OutboxSettings settings(String service) {
        return new OutboxSettings(service, 1, java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), true,
                URI.create("/test"));
    }

    private static OutgoingEvent event(String tenant, String subject) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("causationid", UUID.randomUUID().toString());
        extensions.put("aggregateversion", 7);
        return new OutgoingEvent(UUID.randomUUID(), "ContractUpdated",
                OutgoingEvent.schema("billing-events", "ContractUpdated", 1), subject, tenant,
                Instant.now().truncatedTo(ChronoUnit.MICROS), extensions, "{\"subject\":\"" + subject + "\"}",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    }

    private static String migration(Path path) throws Exception {
        return Files.readString(LocalInfrastructure.repositoryRoot().resolve(path));
    }
}
