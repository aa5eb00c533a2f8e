package dev.mailops.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

class RelayProducerSettingsTest {

    static final Config CONFIG = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(Map.of(
            "mp.messaging.outgoing.billing-events.connector", "smallrye-kafka",
            "mp.messaging.incoming.mailbox-events.connector", "smallrye-kafka"), "test", 100)).build();

    final RelayProducerSettings settings = new RelayProducerSettings(CONFIG);

    @Test
    void anOutgoingChannelsProducerKeepsEveryRecordUntilTheBrokerHasIt() {
        Map<String, Object> configured = Map.of("value.serializer", "StringSerializer", "linger.ms", "0",
                "delivery.timeout.ms", "20000", "acks", "1");

        Map<String, Object> relay = settings.customize("billing-events", CONFIG, configured);

        assertThat(relay).containsEntry("acks", "all").containsEntry("enable.idempotence", "true")
                .containsEntry("delivery.timeout.ms", "2147483647").containsEntry("max.block.ms", "2147483647")
                .containsEntry("linger.ms", "0").containsEntry("value.serializer", "StringSerializer");
    }

    @Test
    void theDeadLetterProducerOfAnIncomingChannelAndItsConsumerKeepTheirOwnSettings() {
        Map<String, Object> deadLetters = Map.of("value.serializer", "StringSerializer", "delivery.timeout.ms", "20000");
        Map<String, Object> consumer = Map.of("value.deserializer", "StringDeserializer");

        assertThat(settings.customize("mailbox-events", CONFIG, deadLetters)).isEqualTo(deadLetters);
        assertThat(settings.customize("mailbox-events", CONFIG, consumer)).isEqualTo(consumer);
    }
}
