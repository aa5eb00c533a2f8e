package dev.mailops.gateway.limits;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;

import dev.mailops.testinfra.TestInfrastructure;

/**
 * The gateway's schema on the tests' real PostgreSQL (database {@code gateway_limits_test}), for the
 * throttle's and the rate limiter's tests without a server; and a clock the tests move.
 */
public final class LimitsDatabase {

    private static DataSource dataSource;

    private LimitsDatabase() {
    }

    /** The migrated database, with no buckets and no known clients. */
    public static synchronized DataSource empty() {
        if (dataSource == null) {
            TestInfrastructure.ensureDatabase("gateway_limits_test");
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setUrl(TestInfrastructure.jdbcUrl("gateway_limits_test"));
            pg.setUser(TestInfrastructure.pgUser());
            pg.setPassword(TestInfrastructure.pgPassword());
            Flyway.configure().dataSource(pg).cleanDisabled(false).load().clean();
            Flyway.configure().dataSource(pg).load().migrate();
            // Pooled, as the gateway's datasource is: a new connection per bucket operation (a backend
            // started and a SCRAM login each) made these tests spend most of their time connecting.
            try {
                dataSource = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                        .connectionPoolConfiguration(pool -> pool.maxSize(16).acquisitionTimeout(Duration.ofSeconds(30))
                                .connectionFactoryConfiguration(connections -> connections
                                        .jdbcUrl(TestInfrastructure.jdbcUrl("gateway_limits_test"))
                                        .principal(new NamePrincipal(TestInfrastructure.pgUser()))
                                        .credential(new SimplePassword(TestInfrastructure.pgPassword())))));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        update("TRUNCATE rate_limit_bucket, login_known_client");
        return dataSource;
    }

    public static long count(String query) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A clock the test moves forward, so windows pass without waiting. */
    public static final class TestClock extends Clock {
        private volatile Instant now;

        public TestClock(Instant start) {
            now = start;
        }

        public void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return zone.equals(getZone()) ? this : Clock.fixed(now, zone);
        }
    }
}
