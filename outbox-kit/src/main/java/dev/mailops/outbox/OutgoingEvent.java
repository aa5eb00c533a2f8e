package dev.mailops.outbox;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One event on its way to a topic, with everything its CloudEvent needs. The key is the tenant, so
 * one tenant's events stay in order on one partition, and it is also published as the
 * {@code tenantid} extension that consumers check against the key.
 *
 * @param id the CloudEvent id: derived from what the event describes, so a repeat has the same id
 * @param extensions further CloudEvents extension attributes (strings or numbers), in the order given
 * @param data the event's JSON, as its schema describes it
 * @param traceParent the W3C traceparent of the request that caused the event, or null
 */
public record OutgoingEvent(UUID id, String type, URI dataSchema, String subject, String tenantId, Instant time,
        Map<String, Object> extensions, String data, String traceParent) {

    public OutgoingEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(dataSchema, "dataSchema");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
        extensions = extensions == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    /** The schema URN consumers resolve to {@code contract/<family>/<type>.v<version>.schema.json}. */
    public static URI schema(String family, String type, int version) {
        return URI.create("urn:mailops:schema:" + family + ":" + type + ":v" + version);
    }
}
