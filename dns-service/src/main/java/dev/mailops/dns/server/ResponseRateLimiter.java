package dev.mailops.dns.server;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;

/**
 * Response rate limiting over UDP per client network, in the spirit of BIND's RRL: each network has a
 * token bucket of {@code responses-per-second}; past it, answers are dropped, except every
 * {@code slip}-th, which is sent truncated so that a real client (whose address may be the forged
 * source of a flood) retries over TCP, where no address can be forged. The buckets are kept in memory,
 * bounded, and forgotten when idle.
 */
final class ResponseRateLimiter {

    /** What becomes of one answer. */
    enum Verdict {
        ANSWER, SLIP, DROP
    }

    private record Network(Bucket bucket, AtomicLong limited) {
    }

    private final ServerLimits.Rrl settings;
    private final TimeMeter time;
    private final Cache<String, Network> networks;

    ResponseRateLimiter(ServerLimits.Rrl settings, Clock clock) {
        if (settings.responsesPerSecond() < 1 || settings.slip() < 0) {
            throw new IllegalArgumentException("dns.limits.rrl: responses-per-second must be at least 1, slip 0 or more");
        }
        this.settings = settings;
        this.time = new ClockTime(clock);
        this.networks = Caffeine.newBuilder().maximumSize(settings.maxNetworks())
                .expireAfterAccess(settings.idleExpiry()).ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
    }

    Verdict admit(InetAddress client) {
        Network network = networks.get(ClientNetwork.of(client, settings.ipv4Prefix(), settings.ipv6Prefix()),
                key -> new Network(newBucket(), new AtomicLong()));
        if (network.bucket().tryConsume(1)) {
            return Verdict.ANSWER;
        }
        long limited = network.limited().incrementAndGet();
        return settings.slip() > 0 && limited % settings.slip() == 0 ? Verdict.SLIP : Verdict.DROP;
    }

    private Bucket newBucket() {
        int rate = settings.responsesPerSecond();
        return Bucket.builder().addLimit(limit -> limit.capacity(rate).refillGreedy(rate, Duration.ofSeconds(1)))
                .withCustomTimePrecision(time).build();
    }

    /** Bucket4j's time from the service's clock, so tests can hold it still. */
    private record ClockTime(Clock clock) implements TimeMeter {
        @Override
        public long currentTimeNanos() {
            return TimeUnit.MILLISECONDS.toNanos(clock.millis());
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
