package dev.mailops.billing.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Turns a Kafka record of mailbox.events into an {@link IncomingEvent}: reads the CloudEvents
 * headers, validates the value against the schema named in {@code ce_dataschema} (packaged from
 * contract/events), and maps the types billing cares about. Types it does not bill are returned
 * without data; anything malformed is a {@link PoisonEventException}.
 */
@ApplicationScoped
public class EventReader {

    static final String SCHEMA_PREFIX = "urn:mailops:schema:mailbox-events:";
    private static final Map<String, Class<?>> BILLED = Map.of(
            "MailboxCreated", MailboxEvents.MailboxCreated.class,
            "MailboxDeleted", MailboxEvents.MailboxDeleted.class,
            "FeeChanged", MailboxEvents.FeeChanged.class);

    private final JsonSchemaFactory schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final Map<String, Optional<JsonSchema>> schemaCache = new ConcurrentHashMap<>();

    @Inject
    ObjectMapper json;

    public IncomingEvent read(Headers headers, String key, String value) {
        String id = required(headers, "ce_id");
        String type = required(headers, "ce_type");
        String tenant = required(headers, "ce_tenantid");
        if (key != null && !key.equals(tenant)) {
            throw new PoisonEventException("record key " + key + " differs from ce_tenantid " + tenant);
        }
        UUID eventId;
        Instant time;
        try {
            eventId = UUID.fromString(id);
            time = OffsetDateTime.parse(required(headers, "ce_time")).toInstant();
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new PoisonEventException("malformed ce_id or ce_time: " + e.getMessage(), e);
        }
        String subject = header(headers, "ce_subject");
        JsonNode data = parse(value);
        String dataSchema = Optional.ofNullable(header(headers, "ce_dataschema")).orElse(SCHEMA_PREFIX + type + ":v1");
        Optional<JsonSchema> schema = schema(dataSchema);
        if (schema.isPresent()) {
            Set<ValidationMessage> violations = schema.get().validate(data);
            if (!violations.isEmpty()) {
                throw new PoisonEventException(type + " violates " + dataSchema + ": "
                        + violations.stream().map(ValidationMessage::getMessage).collect(Collectors.joining("; ")));
            }
        } else if (BILLED.containsKey(type)) {
            throw new PoisonEventException("unknown schema " + dataSchema + " for " + type);
        }
        Class<?> payloadType = BILLED.get(type);
        Object payload = payloadType == null ? null : json.convertValue(data, payloadType);
        return new IncomingEvent(eventId, type, tenant, subject, time, payload);
    }

    private JsonNode parse(String value) {
        if (value == null) {
            throw new PoisonEventException("record has no value");
        }
        try {
            JsonNode data = json.readTree(value);
            if (data == null || !data.isObject()) {
                throw new PoisonEventException("value is not a JSON object");
            }
            return data;
        } catch (JsonProcessingException e) {
            throw new PoisonEventException("value is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The packaged schema for a {@code ce_dataschema} id, or empty when this build does not know it. */
    private Optional<JsonSchema> schema(String dataSchema) {
        return schemaCache.computeIfAbsent(dataSchema, id -> {
            if (!id.startsWith(SCHEMA_PREFIX) || !id.matches(SCHEMA_PREFIX + "[A-Za-z]+:v[0-9]+")) {
                return Optional.empty();
            }
            String[] parts = id.substring(SCHEMA_PREFIX.length()).split(":");
            String resource = "contract/events/" + parts[0] + "." + parts[1] + ".schema.json";
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
                return in == null ? Optional.empty()
                        : Optional.of(schemas.getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String required(Headers headers, String name) {
        String value = header(headers, name);
        if (value == null || value.isBlank()) {
            throw new PoisonEventException("missing CloudEvents header " + name);
        }
        return value;
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
