package dev.mailops.billing.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchRuntimeException;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

/** Which failures of a send count against the notice, and which only mean the server was away. */
class NoticeSenderTest {

    @Test
    void aServerThatDidNotAnswerInTimeIsAwayNotRefusing() {
        // What the blocking mailer throws when quarkus.mailer.timeout passes: Uni.await().atMost(timeout).
        RuntimeException mailerTimeout = catchRuntimeException(() ->
                Uni.createFrom().nothing().await().atMost(Duration.ofMillis(10)));
        assertThat(NoticeSender.serverAway(mailerTimeout)).isTrue();
        assertThat(NoticeSender.serverAway(new IllegalStateException("send failed", new TimeoutException()))).isTrue();
        assertThat(NoticeSender.serverAway(new IllegalStateException(new ConnectException("Connection refused")))).isTrue();
    }

    @Test
    void aReplyOfTheServerCountsAgainstTheNotice() {
        assertThat(NoticeSender.serverAway(new IllegalStateException(
                "recipient address not accepted: 550 5.1.1 <billing@example.com>: Recipient address rejected"))).isFalse();
    }
}
