package dev.mailops.dns.server;

import static dev.mailops.dns.server.ResponseRateLimiter.Verdict.ANSWER;
import static dev.mailops.dns.server.ResponseRateLimiter.Verdict.DROP;
import static dev.mailops.dns.server.ResponseRateLimiter.Verdict.SLIP;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Given a client network's recent answers, when it asks again, then it is answered, slipped or dropped. */
class ResponseRateLimiterTest {

    /** A clock the test moves by hand. */
    static final class HandClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    record Rrl(int responsesPerSecond, int slip) implements ServerLimits.Rrl {
        @Override
        public int ipv4Prefix() {
            return 24;
        }

        @Override
        public int ipv6Prefix() {
            return 56;
        }

        @Override
        public long maxNetworks() {
            return 1000;
        }

        @Override
        public Duration idleExpiry() {
            return Duration.ofMinutes(1);
        }
    }

    final HandClock clock = new HandClock();

    List<ResponseRateLimiter.Verdict> asks(ResponseRateLimiter limiter, String address, int times) throws Exception {
        List<ResponseRateLimiter.Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            verdicts.add(limiter.admit(InetAddress.getByName(address)));
        }
        return verdicts;
    }

    @Test
    void pastItsRateANetworkIsDroppedButEverySlipthAnswerIsTruncated() throws Exception {
        ResponseRateLimiter limiter = new ResponseRateLimiter(new Rrl(3, 2), clock);

        assertThat(asks(limiter, "192.0.2.1", 3)).containsOnly(ANSWER);
        assertThat(asks(limiter, "192.0.2.200", 4)).containsExactly(DROP, SLIP, DROP, SLIP);
    }

    @Test
    void anotherNetworkHasItsOwnAllowance() throws Exception {
        ResponseRateLimiter limiter = new ResponseRateLimiter(new Rrl(2, 2), clock);
        asks(limiter, "192.0.2.1", 5);

        assertThat(asks(limiter, "192.0.3.1", 2)).containsOnly(ANSWER);
        assertThat(asks(limiter, "2001:db8:1:ff00::1", 2)).containsOnly(ANSWER);
        assertThat(asks(limiter, "2001:db8:1:ffab::2", 1)).containsExactly(DROP); // the same /56
        assertThat(asks(limiter, "2001:db8:1:100::1", 1)).containsExactly(ANSWER); // another /56
    }

    @Test
    void theAllowanceComesBackWithTime() throws Exception {
        ResponseRateLimiter limiter = new ResponseRateLimiter(new Rrl(4, 2), clock);
        asks(limiter, "192.0.2.1", 6);

        clock.advance(Duration.ofMillis(500));

        assertThat(asks(limiter, "192.0.2.9", 3)).containsExactly(ANSWER, ANSWER, DROP);
    }

    @Test
    void slipZeroDropsEveryLimitedAnswer() throws Exception {
        ResponseRateLimiter limiter = new ResponseRateLimiter(new Rrl(1, 0), clock);

        assertThat(asks(limiter, "192.0.2.1", 4)).containsExactly(ANSWER, DROP, DROP, DROP);
    }

    @Test
    void theClientNetworkIsTheAddressWithItsHostBitsCleared() throws Exception {
        assertThat(ClientNetwork.of(InetAddress.getByName("192.0.2.77"), 24, 56)).isEqualTo("192.0.2.0/24");
        assertThat(ClientNetwork.of(InetAddress.getByName("2001:db8:1:ffab::1"), 24, 56))
                .isEqualTo("2001:db8:1:ff00:0:0:0:0/56");
        assertThat(ClientNetwork.of(InetAddress.getByName("10.1.2.3"), 16, 56)).isEqualTo("10.1.0.0/16");
    }
}
