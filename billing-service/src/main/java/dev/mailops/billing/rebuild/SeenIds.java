package dev.mailops.billing.rebuild;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnel;

/**
 * Ids the rebuild met, in little memory: a Bloom filter (Guava's, about 3 bytes an id for one false
 * positive in 100,000), the ids whose rows are not sent yet, and for an id the filter may have seen,
 * an exact lookup among the rows already copied (a scan of the unindexed table: rare by design).
 */
final class SeenIds {

    private static final double FALSE_POSITIVES = 1e-5;
    private static final Funnel<UUID> ID = (id, sink) -> sink.putLong(id.getMostSignificantBits())
            .putLong(id.getLeastSignificantBits());

    private final BloomFilter<UUID> filter;
    private final Set<UUID> unsent = new HashSet<>();
    private final String copiedQuery;
    private long lookedUp;

    /** @param copiedQuery {@code select exists (...)} with the id as its one parameter */
    SeenIds(long expected, String copiedQuery) {
        this.filter = BloomFilter.create(ID, Math.max(expected, 1_000), FALSE_POSITIVES);
        this.copiedQuery = copiedQuery;
    }

    /** @param copied the connection, once every row sent so far is there */
    boolean contains(UUID id, Supplier<Connection> copied) {
        if (!filter.mightContain(id)) {
            return false;
        }
        if (unsent.contains(id)) {
            return true;
        }
        lookedUp++;
        try (PreparedStatement select = copied.get().prepareStatement(copiedQuery)) {
            select.setObject(1, id);
            try (ResultSet found = select.executeQuery()) {
                return found.next() && found.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not look up " + id + " among the rebuilt rows", e);
        }
    }

    void add(UUID id) {
        filter.put(id);
        unsent.add(id);
    }

    /** The rows of the ids added so far were handed to COPY. */
    void sent() {
        unsent.clear();
    }

    long lookedUp() {
        return lookedUp;
    }
}
