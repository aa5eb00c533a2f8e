package dev.mailops.testinfra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The configuration of a packaged service run as a process of its own ({@link ServiceProcess}), written
 * once for every test and harness that does so: the Kafka broker and PostgreSQL server of the tests
 * (or the ones given), the service's own database, the gateway token, and the topics of the run.
 *
 * <pre>{@code
 * ServiceProcess billing = PackagedService.module("billing-service")
 *         .database("billing_" + run)
 *         .gatewayToken(token)
 *         .consuming(eventsTopic, "billing-" + run, eventsTopic + ".billing-dlq")
 *         .publishing("billing-events", billingTopic)
 *         .start();
 * }</pre>
 */
public final class PackagedService {

    /**
     * The gateway token of every packaged service a test starts unless it names its own: a packaged service
     * refuses to start without one, and takes identity headers only with it.
     */
    public static final String TEST_GATEWAY_TOKEN = "packaged-test-" + UUID.randomUUID();

    private final Path jar;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private InfrastructureSettings infrastructure;
    private String database;
    private String maxHeap = "256m";

    private PackagedService(Path jar) {
        this.jar = jar;
        gatewayToken(TEST_GATEWAY_TOKEN);
    }

    /** A module's jar, as the reactor packaged it, e.g. {@code module("dns-service")}. */
    public static PackagedService module(String module) {
        Path jar = LocalInfrastructure.repositoryRoot().resolve(module + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package " + module + " first (./mvnw -DskipTests "
                    + "package; ./mvnw verify packages each service before the modules that run it)");
        }
        return new PackagedService(jar);
    }

    /** The jar of the module under test, which failsafe passes after packaging it. */
    public static PackagedService underTest() {
        return new PackagedService(ServiceProcess.packagedJar());
    }

    /** Runs on this infrastructure instead of the tests' one ({@link TestInfrastructure}). */
    public PackagedService on(InfrastructureSettings settings) {
        this.infrastructure = settings;
        return this;
    }

    /** The service's own database, created if missing. */
    public PackagedService database(String name) {
        this.database = name;
        return this;
    }

    /** The shared secret with which the service accepts the gateway's identity headers ({@link #TEST_GATEWAY_TOKEN} unless set). */
    public PackagedService gatewayToken(String token) {
        return with("mailops.gateway-token", token);
    }

    /** A consumer of mailbox.events: the topic of the run, its own consumer group and dead-letter topic. */
    public PackagedService consuming(String eventsTopic, String groupId, String deadLetterTopic) {
        return with("mp.messaging.incoming.mailbox-events.topic", eventsTopic)
                .with("mp.messaging.incoming.mailbox-events.group.id", groupId)
                .with("mp.messaging.incoming.mailbox-events.dead-letter-queue.topic", deadLetterTopic);
    }

    /** Where the service's outgoing channel (e.g. {@code billing-events}) publishes in this run. */
    public PackagedService publishing(String channel, String topic) {
        return with("mp.messaging.outgoing." + channel + ".topic", topic);
    }

    /**
     * Whether the module's own application.properties declares the messaging channel, e.g.
     * {@code declaresChannel("outgoing", "mailbox-credentials")}. A harness routes a channel to the run's
     * topic only where the module has it: SmallRye refuses to start with a channel it has no connector for.
     */
    public boolean declaresChannel(String direction, String channel) {
        String prefix = "mp.messaging." + direction + "." + channel + ".";
        return ownConfiguration().stringPropertyNames().stream().anyMatch(key -> key.startsWith(prefix));
    }

    private Properties ownConfiguration() {
        Properties configuration = new Properties();
        try (Stream<Path> jars = Files.list(jar.getParent().resolve("app"))) {
            for (Path app : jars.filter(path -> path.toString().endsWith(".jar")).toList()) {
                try (JarFile file = new JarFile(app.toFile())) {
                    var entry = file.getJarEntry("application.properties");
                    if (entry != null) {
                        try (InputStream in = file.getInputStream(entry)) {
                            configuration.load(in);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the configuration packaged in " + jar.getParent(), e);
        }
        return configuration;
    }

    /** {@link #publishing}, for a channel only newer versions of the module have: where it declares none, nothing. */
    public PackagedService publishingIfDeclared(String channel, String topic) {
        return declaresChannel("outgoing", channel) ? publishing(channel, topic) : this;
    }

    /** An incoming channel's topic, consumer group and dead-letter topic, where the module declares the channel. */
    public PackagedService readingIfDeclared(String channel, String topic, String groupId, String deadLetterTopic) {
        return declaresChannel("incoming", channel)
                ? with("mp.messaging.incoming." + channel + ".topic", topic)
                        .with("mp.messaging.incoming." + channel + ".group.id", groupId)
                        .with("mp.messaging.incoming." + channel + ".dead-letter-queue.topic", deadLetterTopic)
                : this;
    }

    public PackagedService with(String property, String value) {
        properties.put(property, value);
        return this;
    }

    public PackagedService with(Map<String, String> more) {
        properties.putAll(more);
        return this;
    }

    /** The -Xmx of the process (256m unless set). */
    public PackagedService maxHeap(String heap) {
        this.maxHeap = heap;
        return this;
    }

    /** The heap of a deployed service (infra/service-jvm.options, as ./mailops starts it) instead of the tests' 256m. */
    public PackagedService deployedHeap() {
        this.maxHeap = null;
        return this;
    }

    /** Every system property the process gets; creates the database. */
    public Map<String, String> properties() {
        if (database == null) {
            throw new IllegalStateException("Name the database of " + jar);
        }
        InfrastructureSettings settings = infrastructure == null ? TestInfrastructure.settings() : infrastructure;
        settings.ensureDatabase(database);
        Map<String, String> all = new LinkedHashMap<>(settings.serviceProperties(database));
        all.putAll(properties);
        return all;
    }

    /** The process, configured and not yet started. */
    public ServiceProcess process() {
        return new ServiceProcess(jar, properties(), maxHeap);
    }

    /** Starts the process and waits until it is ready. */
    public ServiceProcess start() {
        ServiceProcess process = process();
        process.start();
        return process;
    }
}
