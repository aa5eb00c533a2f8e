package dev.mailops.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.NoSuchElementException;
import java.util.Properties;


import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/** Which failures are transient (retried for ever) and which are the record's own (dead-lettered). */
class FailureClassifierTest {

    @Test
    void aRealRefusedDatabaseConnectionIsTransientEvenWrappedAsAServiceWrapsIt() throws Exception {
        // given a port nothing listens on
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        // when connecting to it
        SQLException refused = null;
        try (var connection = new org.postgresql.Driver().connect("jdbc:postgresql://127.0.0.1:" + closed + "/x",
                new Properties())) {
            // nothing listens
        } catch (SQLException e) {
            refused = e;
        }
        // then
        assertThat((Object) refused).isNotNull();
        assertThat(refused.getSQLState()).startsWith("08");
        assertThat(FailureClassifier.isTransient(refused)).isTrue();
        assertThat(FailureClassifier.isTransient(new IllegalStateException("SELECT failed: wrapped", new RuntimeException(refused)))).isTrue();
    }

    @Test
    void connectionLossesLockConflictsAndAServerOutOfResourcesAreTransient() {
        assertThat(FailureClassifier.isTransient(new SQLTransientConnectionException("no connection"))).isTrue();
        assertThat(FailureClassifier.isTransient(new PSQLException("gone", PSQLState.CONNECTION_FAILURE))).isTrue();
        assertThat(FailureClassifier.isTransient(new PSQLException("I/O", PSQLState.CONNECTION_FAILURE_DURING_TRANSACTION)))
                .isTrue();
        assertThat(FailureClassifier.isTransient(new SQLException("could not serialize", "40001"))).isTrue();
        assertThat(FailureClassifier.isTransient(new SQLException("deadlock detected", "40P01"))).isTrue();
        assertThat(FailureClassifier.isTransient(new SQLException("lock not available", "55P03"))).isTrue();
        assertThat(FailureClassifier.isTransient(new SQLException("too many connections", "53300"))).isTrue();
        assertThat(FailureClassifier.isTransient(new SQLException("admin shutdown", "57P01"))).isTrue();
        assertThat(FailureClassifier.isTransient(new SQLException("Acquisition timeout while waiting for new connection",
                new java.util.concurrent.TimeoutException()))).isTrue();
    }

    @Test
    void aBrokerThatIsAwayIsTransientAndSoIsAFailedPublicationAfterTheCommit() {
        assertThat(FailureClassifier.isTransient(new TimeoutException("metadata not available"))).isTrue();
        assertThat(FailureClassifier.isTransient(new NotLeaderOrFollowerException("moved"))).isTrue();
        assertThat(FailureClassifier.isTransient(new IllegalStateException("send", new ConnectException("refused"))))
                .isTrue();
        assertThat(FailureClassifier.isTransient(new EventConsumption.PublicationFailed("publishing failed",
                new IllegalArgumentException("the record's own")))).isTrue();
    }

    @Test
    void whatTheRecordItselfCausesIsNotTransient() {
        assertThat(FailureClassifier.isTransient(new IllegalStateException("Rate MAIL_GOLD is not in the catalog"))).isFalse();
        assertThat(FailureClassifier.isTransient(new NoSuchElementException("No value present"))).isFalse();
        assertThat(FailureClassifier.isTransient(new IllegalStateException("INSERT failed: constraint",
                new SQLException("value too long for type character varying(64)", "22001")))).isFalse();
        assertThat(FailureClassifier.isTransient(new SQLException("unique violation", "23505"))).isFalse();
        assertThat(FailureClassifier.isTransient(new SQLException("no state"))).isFalse();
        assertThat(FailureClassifier.isTransient(new SerializationException("bad bytes"))).isFalse();
        assertThat(FailureClassifier.isTransient(new NullPointerException())).isFalse();
    }

    @Test
    void theDeadLettersReasonNamesTheErrorByItsFirstLineCutShort() {
        RecordFailedException failed = new RecordFailedException(5, new IllegalStateException("outer",
                new SQLException("ERROR: duplicate key\n  Detail: Key (email)=(x@example.com) already exists.", "23505")));
        assertThat(failed.getMessage()).isEqualTo("failed 5 times, last with java.sql.SQLException: ERROR: duplicate key");
        assertThat(failed.errorClass()).isEqualTo("java.sql.SQLException");
        assertThat(failed.getCause()).isNull();
        assertThat(new RecordFailedException(1, new IllegalStateException("x".repeat(1000))).getMessage())
                .hasSize("failed 1 times, last with java.lang.IllegalStateException: ".length()
                        + RecordFailedException.MAX_MESSAGE + 1);
    }
}
