package dev.mailops.outbox;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One event on its way to a topic, with everything its CloudEvent needs. The record key is the
 * tenant unless given otherwise, so one tenant's events stay in order on one partition; the tenant is
 * also published as the {@code tenantid} extension. A compacted topic keys by what each record is
 * the latest state of (its subject), and deletes that state with a {@linkplain #tombstone tombstone}.
 *
 * @param id the CloudEvent id: derived from what the event describes, so a repeat has the same id
 * @param extensions further CloudEvents extension attributes (strings or numbers), in the order given
 * @param data the event's JSON, as its schema describes it; null only for a tombstone
 * @param traceParent the W3C traceparent of the request that caused the event, or null
 * @param key the Kafka record key
 */
public record OutgoingEvent(UUID id, String type, URI dataSchema, String subject, String tenantId, Instant time,
        Map<String, Object> extensions, String data, String traceParent, String key) {

    public OutgoingEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(dataSchema, "dataSchema");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(key, "key");
        extensions = extensions == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    /** An event with data, keyed by its tenant. */
    public OutgoingEvent(UUID id, String type, URI dataSchema, String subject, String tenantId, Instant time,
            Map<String, Object> extensions, String data, String traceParent) {
        this(id, type, dataSchema, subject, tenantId, time, extensions, Objects.requireNonNull(data, "data"),
                traceParent, tenantId);
    }

    /** The same event under another record key. */
    public OutgoingEvent keyedBy(String recordKey) {
        return new OutgoingEvent(id, type, dataSchema, subject, tenantId, time, extensions, data, traceParent, recordKey);
    }

    /**
     * A record with the key and no value: on a compacted topic, the broker eventually removes every
     * earlier record of the key, and consumers take it as "deleted". Headers still name the type.
     */
    public static OutgoingEvent tombstone(UUID id, String type, URI dataSchema, String subject, String tenantId,
            Instant time, String traceParent, String key) {
        return new OutgoingEvent(id, type, dataSchema, subject, tenantId, time, Map.of(), null, traceParent, key);
    }

    public boolean isTombstone() {
        return data == null;
    }

    /** The schema URN consumers resolve to {@code contract/<family>/<type>.v<version>.schema.json}. */
    public static URI schema(String family, String type, int version) {
        return URI.create("urn:mailops:schema:" + family + ":" + type + ":v" + version);
    }
}
