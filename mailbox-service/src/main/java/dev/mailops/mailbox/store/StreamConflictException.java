package dev.mailops.mailbox.store;

import java.sql.SQLException;
import java.util.Set;

/** Another transaction appended to the stream since it was loaded; the command may be retried. */
public class StreamConflictException extends RuntimeException {
    /** PostgreSQL's deadlock_detected and serialization_failure: it rolled this transaction back for another. */
    private static final Set<String> ROLLED_BACK_FOR_ANOTHER = Set.of("40P01", "40001");

    public StreamConflictException(StreamId stream, int expectedVersion) {
        super("Stream " + stream + " moved past version " + expectedVersion, null, false, false);
    }

    /**
     * Whether the failure means another transaction on the same rows came first, so that the whole
     * transaction, run again, decides on what that one left: a stream conflict, or PostgreSQL's choice of
     * this transaction as the one to roll back (found anywhere in the causes, as JTA's commit wraps it).
     */
    public static boolean lostRace(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof StreamConflictException
                    || cause instanceof SQLException sql && ROLLED_BACK_FOR_ANOTHER.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
