package dev.mailops.testinfra;

import org.apache.kafka.common.utils.AppInfoParser;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The Testcontainers path: a Kafka broker (KRaft, the Apache image of the version whose clients the
 * Quarkus BOM gives the services) and a PostgreSQL server (the major version Debian gives the local
 * path), configured like the local processes of {@code infra/}, started once per JVM and removed by
 * Testcontainers when the JVM ends.
 */
final class ContainerInfrastructure {

    static final String KAFKA_IMAGE = "apache/kafka:" + AppInfoParser.getVersion();
    static final String POSTGRES_IMAGE = "postgres:15";
    private static final String USER = "mailops";
    private static final String PASSWORD = "mailops";

    private static InfrastructureSettings settings;

    private ContainerInfrastructure() {
    }

    static synchronized InfrastructureSettings start() {
        if (settings == null) {
            KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE)
                    .withEnv("KAFKA_NUM_PARTITIONS", "6")
                    .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true")
                    .withEnv("KAFKA_LOG_RETENTION_MS", "-1")
                    .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
            PostgreSQLContainer postgres = new PostgreSQLContainer(POSTGRES_IMAGE)
                    .withDatabaseName("postgres")
                    .withUsername(USER)
                    .withPassword(PASSWORD)
                    .withCommand("postgres", "-c", "max_connections=200", "-c", "timezone=UTC");
            kafka.start();
            postgres.start();
            settings = new InfrastructureSettings("Testcontainers (" + KAFKA_IMAGE + ", " + POSTGRES_IMAGE + ")",
                    kafka.getBootstrapServers(), postgres.getHost(), postgres.getMappedPort(5432), USER, PASSWORD);
        }
        return settings;
    }
}
