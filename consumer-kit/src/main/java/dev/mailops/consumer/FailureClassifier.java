package dev.mailops.consumer;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Locale;
import java.util.Set;

import org.apache.kafka.common.errors.RetriableException;

/**
 * Whether a failure to apply a record is transient (the database or the broker is away, a lock or
 * serialization conflict): such a record is retried with backoff for as long as it takes and never
 * skipped. Any other failure is the record's own and comes back on every attempt (an unknown rate, a
 * value the projection cannot store), so after a few attempts the record is dead-lettered and its
 * partition moves on. The one place that decides this for every consumer.
 */
public final class FailureClassifier {

    /** SQLState classes of a lost or refused connection, of a server out of resources or shutting down. */
    private static final Set<String> TRANSIENT_SQL_STATE_CLASSES = Set.of("08", "53", "57");
    /** serialization_failure, deadlock_detected, lock_not_available. */
    private static final Set<String> TRANSIENT_SQL_STATES = Set.of("40001", "40P01", "55P03");

    private FailureClassifier() {
    }

    /** True when a cause anywhere in the chain is a fault of the surroundings, not of the record. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (transientItself(cause)) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private static boolean transientItself(Throwable cause) {
        if (cause instanceof EventConsumption.PublicationFailed) {
            // The event's transaction committed: dead-lettering it now would drop what it caused.
            return true;
        }
        if (cause instanceof SQLTransientException || cause instanceof SQLRecoverableException) {
            return true;
        }
        if (cause instanceof SQLException sql) {
            return transientSqlState(sql.getSQLState()) || poolTimeout(sql);
        }
        return cause instanceof RetriableException // Kafka: broker away, leader moved, request timed out
                || cause instanceof SocketException // connection refused or reset, no route
                || cause instanceof SocketTimeoutException;
    }

    static boolean transientSqlState(String state) {
        return state != null && state.length() == 5
                && (TRANSIENT_SQL_STATES.contains(state) || TRANSIENT_SQL_STATE_CLASSES.contains(state.substring(0, 2)));
    }

    /** Agroal's pool gives up waiting for a connection with an SQLException that has no SQLState. */
    private static boolean poolTimeout(SQLException sql) {
        return sql.getSQLState() == null && sql.getMessage() != null
                && sql.getMessage().toLowerCase(Locale.ROOT).contains("acquisition timeout");
    }
}
