package dev.mailops.gateway.limits;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.sql.DataSource;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.NopeOptimizationListener;
import io.github.bucket4j.distributed.proxy.optimization.delay.DelayOptimization;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;

/**
 * Token buckets in the gateway's PostgreSQL (table {@code rate_limit_bucket}), through Bucket4j, so every
 * gateway instance sees and changes the same buckets, each change one row locked in one transaction.
 * Keys are a prefix and a SHA-256 of what the caller names, so their size is fixed whatever a client sends.
 * A bucket's row expires when the bucket would be full again, and {@link #purge()} deletes expired rows:
 * the table holds only the buckets that currently limit someone.
 */
public final class Buckets {

    private static final int PURGE_BATCH = 1000;

    private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;
    private final TimeMeter time;

    public Buckets(DataSource dataSource, Clock clock) {
        this.time = timeOf(clock);
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_bucket").idColumn("id").stateColumn("state").expiresAtColumn("expires_at")
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ZERO))
                .clientClock(time)
                .build();
    }

    /** The bucket of {@code prefix} and {@code name} (any length: it is hashed). */
    public BucketProxy bucket(String prefix, String name, BucketConfiguration configuration) {
        return buckets.getProxy(key(prefix, name), () -> configuration);
    }

    /**
     * The bucket of {@code prefix} and {@code name}, consumed in this process between synchronisations with
     * its row: up to {@code delay}'s tokens, for at most its timeout. What was taken here is charged to the row
     * at the next synchronisation, past empty if need be, so the rate over time holds exactly; before that, N
     * instances may each let that many tokens through beyond the burst. Keep the proxy: it holds the state.
     */
    public BucketProxy consumedLocally(String prefix, String name, BucketConfiguration configuration, DelayParameters delay) {
        return buckets.builder().withOptimization(new DelayOptimization(delay, NopeOptimizationListener.INSTANCE, time))
                .build(key(prefix, name), () -> configuration);
    }

    /** The row key of a bucket: at most 12 + 1 + 43 characters. */
    public static String key(String prefix, String name) {
        if (prefix.length() > 12) {
            throw new IllegalArgumentException("prefix too long: " + prefix);
        }
        return prefix + ":" + hash(name);
    }

    /** SHA-256, base64url without padding (43 characters). */
    public static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes up to a batch of expired buckets (full again, so the same as none); returns how many. */
    public int purge() {
        return buckets.removeExpired(PURGE_BATCH);
    }

    /** Bucket4j measures time with the application's clock, so the tests can move it. */
    private static TimeMeter timeOf(Clock clock) {
        return new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                Instant now = clock.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }
}
