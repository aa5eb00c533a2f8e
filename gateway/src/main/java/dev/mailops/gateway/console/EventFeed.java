package dev.mailops.gateway.console;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.resteasy.reactive.RestStreamElementType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.Authenticated;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

import dev.mailops.gateway.identity.GatewayIdentity;

/**
 * The console's live feed: the tenant's CloudEvents from mailbox.events as they happen, as
 * server-sent events. Every gateway instance reads the topic in a group of its own from the end. A
 * stream ends when the token that opened it expires.
 */
@Path("/api/v1/events")
@ApplicationScoped
public class EventFeed {

    private final BroadcastProcessor<Map<String, Object>> events = BroadcastProcessor.create();

    @Inject
    SecurityIdentity identity;
    @Inject
    ObjectMapper json;
    @Inject
    Clock clock;

    @Incoming("mailbox-feed")
    void receive(ConsumerRecord<String, String> record) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("tenant", record.key());
        event.put("id", header(record, "ce_id"));
        event.put("type", header(record, "ce_type"));
        event.put("subject", header(record, "ce_subject"));
        event.put("time", header(record, "ce_time"));
        event.put("correlationId", header(record, "ce_correlationid"));
        event.put("data", readTree(record.value()));
        events.onNext(event);
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
        return events.filter(event -> caller.tenantId().equals(event.get("tenant"))).select().first(left);
    }

    private Object readTree(String value) {
        try {
            return value == null ? null : json.readTree(value);
        } catch (JsonProcessingException e) {
            return value;
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
