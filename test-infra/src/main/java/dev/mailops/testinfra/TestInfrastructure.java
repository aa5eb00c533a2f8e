package dev.mailops.testinfra;

import java.util.Map;

import org.jboss.logging.Logger;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The Kafka broker and PostgreSQL server of the tests, and the one place that chooses who provides
 * them: Testcontainers where a Docker engine answers ({@link DockerProbe}), else the local processes
 * of {@code infra/} ({@link LocalInfrastructure}), as on machines without Docker. Either way the tests
 * get the same {@link InfrastructureSettings}; each service gets its own database, created on first use.
 *
 * <p>As a Quarkus test resource, pass {@code database} as an init argument to name the service's test
 * database. {@code -Dmailops.test.infrastructure=local} (or {@code containers}) overrides the choice.
 */
public class TestInfrastructure implements QuarkusTestResourceLifecycleManager {

    private static final Logger LOG = Logger.getLogger(TestInfrastructure.class);
    private static InfrastructureSettings settings;

    private String database = "mailops_test";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        ensureDatabase(database);
        return settings().serviceProperties(database);
    }

    @Override
    public void stop() {
        // Shared infrastructure outlives a test class: the local processes run on, containers end with the JVM.
    }

    /** The settings of the chosen path, which is started on first use. */
    public static synchronized InfrastructureSettings settings() {
        if (settings == null) {
            boolean containers = switch (System.getProperty("mailops.test.infrastructure", "auto")) {
                case "local" -> false;
                case "containers" -> true;
                default -> DockerProbe.engineAnswers();
            };
            LOG.infof("Test infrastructure: %s", containers ? "a Docker engine answers, starting Testcontainers"
                    : "no Docker engine answers, using the local processes of infra/");
            settings = containers ? ContainerInfrastructure.start() : LocalInfrastructure.settings();
            LOG.infof("Test infrastructure: %s, Kafka at %s, PostgreSQL at %s:%d", settings.path(),
                    settings.kafkaBootstrapServers(), settings.pgHost(), settings.pgPort());
        }
        return settings;
    }

    public static String kafkaBootstrapServers() {
        return settings().kafkaBootstrapServers();
    }

    public static String jdbcUrl(String database) {
        return settings().jdbcUrl(database);
    }

    public static String pgUser() {
        return settings().pgUser();
    }

    public static String pgPassword() {
        return settings().pgPassword();
    }

    public static void ensureDatabase(String database) {
        settings().ensureDatabase(database);
    }
}
