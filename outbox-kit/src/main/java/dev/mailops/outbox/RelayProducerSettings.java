package dev.mailops.outbox;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.ClientCustomizer;

/**
 * Gives every outgoing Kafka channel of the service the producer a relay needs to keep each stream's
 * order (README, "Order"): acknowledged by every in-sync replica, idempotent, and without a delivery or
 * metadata deadline, so what reaches a partition is always a prefix of what the relay handed over. A
 * service that uses this kit publishes only through its outboxes, so its outgoing channels are its
 * relays'. The kit sets these rather than each service's configuration, where one channel that forgot
 * them would bring back the reordering; a configured value that differs is overridden, with a warning.
 * The producers the connector makes for an incoming channel (its dead letters) keep their own settings.
 */
@ApplicationScoped
public class RelayProducerSettings implements ClientCustomizer<Map<String, Object>> {

    private static final Logger LOG = Logger.getLogger(RelayProducerSettings.class);

    static final Map<String, Object> ORDER_KEEPING = Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Integer.MAX_VALUE),
            ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(Integer.MAX_VALUE));

    private final Config config;

    @Inject
    public RelayProducerSettings(Config config) {
        this.config = config;
    }

    @Override
    public Map<String, Object> customize(String channel, Config channelConfig, Map<String, Object> clientConfig) {
        boolean producer = clientConfig.containsKey(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        if (!producer || !isOutgoing(channel)) {
            return clientConfig;
        }
        Map<String, Object> relayConfig = new HashMap<>(clientConfig);
        ORDER_KEEPING.forEach((key, value) -> {
            relayConfig.put(key, value);
            // The connector's own defaults (acks=1) are not the service's choice; only a configured value is.
            channelConfig.getOptionalValue(key, String.class).filter(configured -> !configured.equals(value))
                    .ifPresent(configured -> LOG.warnf(
                            "Channel %s: %s=%s overridden with %s, which an outbox relay's order needs", channel, key,
                            configured, value));
        });
        return relayConfig;
    }

    private boolean isOutgoing(String channel) {
        return config.getOptionalValue("mp.messaging.outgoing." + channel + ".connector", String.class).isPresent();
    }
}
