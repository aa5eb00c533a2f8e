package dev.mailops.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Makes a service's outbox and relay from its datasource, metrics and configuration. The service
 * itself only names its outbox and hands over the emitter of its topic's channel.
 */
@ApplicationScoped
public class Outboxes {

    @Inject
    AgroalDataSource dataSource;
    @Inject
    ObjectMapper json;
    @Inject
    MeterRegistry meters;
    @Inject
    Config config;

    /** The service's outbox table, whose inserts NOTIFY {@code <service>_outbox}. */
    public OutboxTable table(String service) {
        return new OutboxTable(dataSource, json, service + "_outbox");
    }

    /**
     * A further outbox of the service, named {@code name}: its own table, whose inserts NOTIFY
     * {@code <name>_outbox} (dashes as underscores), and its records' key.
     */
    public OutboxTable table(String name, String table, OutboxTable.RecordKey recordKey) {
        return new OutboxTable(dataSource, json, table, name.replace('-', '_') + "_outbox", recordKey);
    }

    /** A relay from the source to the emitter's topic, started unless {@code <service>.outbox.enabled} is false. */
    public OutboxRelay relay(String service, OutboxSource source, MutinyEmitter<String> emitter) {
        return relay(service, service, source, emitter);
    }

    /** A relay of the service's outbox {@code name}, started unless {@code <name>.outbox.enabled} is false. */
    public OutboxRelay relay(String service, String name, OutboxSource source, MutinyEmitter<String> emitter) {
        OutboxSettings settings = OutboxSettings.from(config, service, name);
        OutboxRelay relay = new OutboxRelay(source, emitter, dataSource, meters, settings);
        if (settings.enabled()) {
            relay.start();
        }
        return relay;
    }
}
