package dev.mailops.gateway.console;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestStreamElementType;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.Authenticated;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;

import dev.mailops.gateway.identity.GatewayIdentity;

/**
 * The console's live feed: the tenant's CloudEvents from mailbox.events as they happen, as
 * server-sent events. Every gateway instance reads the topic in a group of its own from the end. A
 * stream ends when the token that opened it expires. A record costs a look at its key unless someone
 * watches its tenant ({@link TenantFeed}); with nobody watching, the consumer is paused.
 */
@Path("/api/v1/events")
@ApplicationScoped
public class EventFeed {

    static final String CHANNEL = "mailbox-feed";
    private static final Logger LOG = Logger.getLogger(EventFeed.class);
    // A record's timestamp is its producer's clock: a watcher may see its tenant's events of the last
    // moment before it came, rather than miss one written while the clocks disagree.
    private static final Duration CLOCK_MARGIN = Duration.ofSeconds(1);

    @Inject
    SecurityIdentity identity;
    @Inject
    ObjectMapper json;
    @Inject
    Clock clock;
    @Inject
    KafkaClientService kafka;
    @Inject
    MeterRegistry meters;

    private TenantFeed feed;

    @PostConstruct
    void init() {
        feed = new TenantFeed(this::decode, new ConsumerSource(), clock);
        FunctionCounter.builder("gateway_feed_records", feed, TenantFeed::decoded).tag("decoded", "true")
                .description("Records of mailbox.events the live feed decoded (their tenant watched)").register(meters);
        FunctionCounter.builder("gateway_feed_records", feed, TenantFeed::skipped).tag("decoded", "false")
                .description("Records of mailbox.events the live feed passed over (their tenant unwatched)").register(meters);
    }

    @Incoming(CHANNEL)
    void receive(ConsumerRecord<String, byte[]> record) {
        feed.offer(record);
    }

    @GET
    @Authenticated
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<Map<String, Object>> stream() {
        GatewayIdentity caller = GatewayIdentity.of(identity);
        if (caller == null) {
            throw new UnauthorizedException();
        }
        // The stream lasts as long as the token that opened it; the client reconnects with a fresh one.
        Duration left = GatewayIdentity.expiry(identity).map(expiry -> Duration.between(clock.instant(), expiry))
                .orElse(Duration.ZERO);
        if (left.isNegative() || left.isZero()) {
            throw new UnauthorizedException();
        }
        return feed.watch(caller.tenantId(), left);
    }

    private Map<String, Object> decode(ConsumerRecord<String, byte[]> record) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("tenant", record.key());
        event.put("id", header(record, "ce_id"));
        event.put("type", header(record, "ce_type"));
        event.put("subject", header(record, "ce_subject"));
        event.put("time", header(record, "ce_time"));
        event.put("correlationId", header(record, "ce_correlationid"));
        event.put("data", readTree(record.value()));
        return event;
    }

    private Object readTree(byte[] value) {
        try {
            return value == null ? null : json.readTree(value);
        } catch (java.io.IOException e) {
            return new String(value, StandardCharsets.UTF_8);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The channel's Kafka consumer, paused and resumed on its own polling thread, in the order asked. */
    private final class ConsumerSource implements TenantFeed.Source {

        @Override
        public void pause() {
            consumer().runOnPollingThread((Consumer<String, byte[]> c) -> c.pause(c.assignment()))
                    .subscribe().with(done -> LOG.debug("live feed paused: nobody watches"),
                            failure -> LOG.warn("could not pause the live feed's consumer", failure));
        }

        @Override
        public void resumeFrom(Instant since) {
            long from = since.minus(CLOCK_MARGIN).toEpochMilli();
            consumer().runOnPollingThread((Consumer<String, byte[]> c) -> {
                Set<TopicPartition> partitions = c.assignment();
                // the end first: a record written after this call is after the end, so none is skipped
                Map<TopicPartition, Long> end = c.endOffsets(partitions);
                Map<TopicPartition, Long> times = new HashMap<>();
                partitions.forEach(partition -> times.put(partition, from));
                Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(times);
                for (TopicPartition partition : partitions) {
                    OffsetAndTimestamp first = found.get(partition);
                    c.seek(partition, first != null ? first.offset() : end.get(partition));
                }
                c.resume(partitions);
            }).subscribe().with(done -> LOG.debug("live feed resumed for its first watcher"),
                    failure -> LOG.warn("could not resume the live feed's consumer", failure));
        }

        private KafkaConsumer<String, byte[]> consumer() {
            return kafka.getConsumer(CHANNEL);
        }
    }
}
