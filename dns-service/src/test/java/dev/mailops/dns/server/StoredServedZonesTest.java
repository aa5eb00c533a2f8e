package dev.mailops.dns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.dns.zone.ZoneRecords;
import dev.mailops.dns.zone.ZoneStore;
import dev.mailops.testinfra.MailboxEventsFixture;

/**
 * A start serves the zones as stored, and only those stored at their zone's serial in this build's
 * format. "A start" is a second cache, empty, refreshed as the server's start refreshes it.
 */
@QuarkusTest
class StoredServedZonesTest {

    static MailboxEventsFixture events;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    ZoneStore zoneStore;
    @Inject
    ZoneRecords zoneRecords;
    @Inject
    StoredServedZones storedZones;

    @BeforeAll
    static void producer() {
        events = MailboxEventsFixture.forConsumedTopic();
    }

    @AfterAll
    static void close() {
        events.close();
    }

    @Test
    void aStartServesTheZoneAsStoredAtItsSerial() throws Exception {
        String domain = storedZone();
        replaceStoredWire(domain, "stored-wire-served", "serial");

        assertThat(txtAtApexAfterAStart(domain)).contains("stored-wire-served");
    }

    @Test
    void aZoneStoredAtAnOlderSerialIsBuiltFromItsRecordsAndStoredAgain() throws Exception {
        String domain = storedZone();
        long serial = stored(domain, "serial").orElseThrow();
        replaceStoredWire(domain, "older-serial", "serial - 1");

        assertThat(txtAtApexAfterAStart(domain)).isNotEmpty().doesNotContain("older-serial");
        assertThat(stored(domain, "serial")).contains(serial);
    }

    @Test
    void aZoneStoredInAnotherFormatIsBuiltFromItsRecordsAndStoredAgain() throws Exception {
        String domain = storedZone();
        replaceStoredWire(domain, "other-format", "serial");
        update("update served_zone set format = 'another build' where domain = ?", domain);

        assertThat(txtAtApexAfterAStart(domain)).isNotEmpty().doesNotContain("other-format");
        assertThat(storedFormat(domain)).contains(zoneRecords.format());
    }

    /** A served zone, once the running cache stored it. */
    private String storedZone() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 13);
        String domain = "stored-" + UUID.randomUUID().toString().substring(0, 8) + ".de";
        events.domainAdded(tenant, domain, Instant.now());
        await().atMost(Duration.ofSeconds(20)).until(() -> stored(domain, "serial").isPresent()
                && stored(domain, "serial").equals(currentSerial(domain)));
        return domain;
    }

    /** Stores the zone's wire data with one more TXT record at its apex, at the given serial expression. */
    private void replaceStoredWire(String domain, String marker, String serialExpression) throws Exception {
        Message zone = new Message(storedWire(domain));
        Name origin = Name.fromString(domain + ".");
        zone.addRecord(new TXTRecord(origin, DClass.IN, 300, marker), Section.ANSWER);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "update served_zone set wire = ?, serial = " + serialExpression + " where domain = ?")) {
            update.setBytes(1, zone.toWire());
            update.setString(2, domain);
            assertThat(update.executeUpdate()).isOne();
        }
    }

    private List<String> txtAtApexAfterAStart(String domain) throws Exception {
        ZoneCache started = new ZoneCache();
        started.store = zoneStore;
        started.zoneRecords = zoneRecords;
        started.storedZones = storedZones;
        started.refresh();
        Name origin = Name.fromString(domain + ".");
        ZoneCache.ServedZone zone = started.zoneFor(origin);
        assertThat(zone).isNotNull();
        return zone.byName().get(origin).stream().filter(record -> record.getType() == Type.TXT)
                .map(record -> String.join("", ((TXTRecord) record).getStrings())).toList();
    }

    private Optional<Long> currentSerial(String domain) throws Exception {
        return single("select serial from dns_zone where domain = ?", domain, row -> row.getLong(1));
    }

    private Optional<Long> stored(String domain, String column) throws Exception {
        return single("select " + column + " from served_zone where domain = ?", domain, row -> row.getLong(1));
    }

    private byte[] storedWire(String domain) throws Exception {
        return single("select wire from served_zone where domain = ?", domain, row -> row.getBytes(1)).orElseThrow();
    }

    private Optional<String> storedFormat(String domain) throws Exception {
        return single("select format from served_zone where domain = ?", domain, row -> row.getString(1));
    }

    /** The first column of the row the query finds for the domain, if it finds one. */
    private <T> Optional<T> single(String sql, String domain, Column<T> column) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, domain);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(column.of(row)) : Optional.empty();
            }
        }
    }

    private interface Column<T> {
        T of(ResultSet row) throws java.sql.SQLException;
    }

    private void update(String sql, String domain) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, domain);
            assertThat(update.executeUpdate()).isOne();
        }
    }
}
