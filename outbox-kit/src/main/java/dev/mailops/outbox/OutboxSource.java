package dev.mailops.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Where a service keeps the events it committed but has not yet published, as the relay reads them.
 * Implementations run their statements on the relay's connection, outside any JTA transaction.
 */
public interface OutboxSource {

    /** An event waiting in the outbox, at its position (publication order). */
    record Pending(long position, OutgoingEvent event) {
    }

    /** The table of the waiting events, whose rows (and their {@code enqueued_at}) the relay's gauges count. */
    default String table() {
        return "outbox";
    }

    /** The PostgreSQL NOTIFY channel an insert into the outbox signals at commit. */
    String notifyChannel();

    /** The oldest waiting events, at most {@code limit}, in position order. */
    List<Pending> oldest(Connection connection, int limit) throws SQLException;

    /** Removes published events; called only once the broker acknowledged all of them. */
    void remove(Connection connection, List<Pending> published) throws SQLException;
}
