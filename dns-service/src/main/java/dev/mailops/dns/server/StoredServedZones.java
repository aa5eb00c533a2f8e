package dev.mailops.dns.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The served zones' wire data in {@code served_zone}, so that a start reads each zone as bytes rather
 * than building it from its records. Called inside the cache's transaction.
 */
@ApplicationScoped
public class StoredServedZones {

    @Inject
    DataSource dataSource;

    /** Hands over the wire data of those of the zones (domain → serial) stored at that serial in {@code format}. */
    public void read(Map<String, Long> serials, String format, BiConsumer<String, byte[]> each) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select domain, serial, wire from served_zone where format = ? and domain = any (?)")) {
            select.setString(1, format);
            select.setArray(2, connection.createArrayOf("varchar", serials.keySet().toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String domain = rows.getString(1);
                    if (serials.get(domain).longValue() == rows.getLong(2)) {
                        each.accept(domain, rows.getBytes(3));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the served zones", e);
        }
    }

    /**
     * Stores the zones, by domain; an older serial never replaces a newer one. In the order of the
     * domains, so that two instances storing the same zones never wait for each other crosswise; a zone
     * removed meanwhile is skipped.
     */
    public void write(Map<String, ZoneCache.ServedZone> zones, String format) {
        if (zones.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement upsert = connection.prepareStatement("""
                        insert into served_zone (domain, serial, format, wire)
                        select ?, ?, ?, ? where exists (select 1 from dns_zone where domain = ?)
                        on conflict (domain) do update set serial = excluded.serial, format = excluded.format, wire = excluded.wire
                        where served_zone.serial <= excluded.serial""")) {
            for (Map.Entry<String, ZoneCache.ServedZone> zone : new TreeMap<>(zones).entrySet()) {
                upsert.setString(1, zone.getKey());
                upsert.setLong(2, zone.getValue().serial());
                upsert.setString(3, format);
                upsert.setBytes(4, zone.getValue().wire());
                upsert.setString(5, zone.getKey());
                upsert.addBatch();
            }
            upsert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not store the served zones", e);
        }
    }
}
