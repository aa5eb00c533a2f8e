package dev.mailops.mailbox.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

class StreamConflictExceptionTest {

    @Test
    void aTransactionRolledBackForAnotherIsARaceLostHoweverDeepTheCommitWrappedIt() {
        assertThat(StreamConflictException.lostRace(new StreamConflictException(StreamId.mailDomain("a.example"), 1))).isTrue();
        assertThat(StreamConflictException.lostRace(wrapped(new SQLException("deadlock detected", "40P01")))).isTrue();
        assertThat(StreamConflictException.lostRace(wrapped(new SQLException("could not serialize", "40001")))).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(StreamConflictException.lostRace(wrapped(new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(StreamConflictException.lostRace(wrapped(new SQLException("connection refused", "08001")))).isFalse();
        assertThat(StreamConflictException.lostRace(new IllegalStateException("no cause"))).isFalse();
    }

    /** As a JTA commit reports it: the transaction's failure, its persistence cause, the driver's. */
    private static RuntimeException wrapped(SQLException driver) {
        return new IllegalStateException("commit failed", new RuntimeException("could not execute statement", driver));
    }
}
