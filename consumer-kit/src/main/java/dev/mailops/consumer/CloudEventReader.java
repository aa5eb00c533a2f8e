package dev.mailops.consumer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Reads a record of a mailops event topic: the CloudEvents headers, the key (which must be the
 * tenant), and the JSON value, validated against the schema that {@code ce_dataschema} names. The
 * schemas are the published ones, packaged by each consuming service under {@code contract/}:
 * {@code urn:mailops:schema:mailbox-events:MailboxCreated:v1} is {@code contract/mailbox-events/MailboxCreated.v1.schema.json}.
 */
@ApplicationScoped
public class CloudEventReader {

    private static final Pattern SCHEMA_ID = Pattern.compile("urn:mailops:schema:([a-z-]+):([A-Za-z]+):v([0-9]+)");

    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final Map<String, Optional<JsonSchema>> schemas = new ConcurrentHashMap<>();

    private final ObjectMapper json;

    @Inject
    public CloudEventReader(ObjectMapper json) {
        this.json = json;
    }

    /**
     * @param needingSchema the types the caller acts on: for these a schema this build does not know
     *        is poison too (it cannot tell whether it understands the data); other types pass unchecked
     */
    public CloudEvent read(Headers headers, String key, String value, Set<String> needingSchema) {
        return read(headers, key, value == null ? null : () -> json.readTree(value), needingSchema);
    }

    /** As {@link #read(Headers, String, String, Set)}, from the value's UTF-8 bytes. */
    public CloudEvent read(Headers headers, String key, byte[] value, Set<String> needingSchema) {
        return read(headers, key, value == null ? null : () -> json.readTree(value), needingSchema);
    }

    /** A record's value, parsed when asked. */
    private interface Value {
        JsonNode parse() throws IOException;
    }

    private CloudEvent read(Headers headers, String key, Value value, Set<String> needingSchema) {
        String type = required(headers, "ce_type");
        String tenant = required(headers, "ce_tenantid");
        if (key != null && !key.equals(tenant)) {
            throw new PoisonRecordException("record key " + key + " differs from ce_tenantid " + tenant);
        }
        UUID id;
        Instant time;
        try {
            id = UUID.fromString(required(headers, "ce_id"));
            time = time(required(headers, "ce_time"));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new PoisonRecordException("malformed ce_id or ce_time: " + e.getMessage(), e);
        }
        String dataSchema = header(headers, "ce_dataschema");
        JsonNode data = parse(value);
        Optional<JsonSchema> schema = dataSchema == null ? Optional.empty() : schema(dataSchema);
        if (schema.isPresent()) {
            Set<ValidationMessage> violations = schema.get().validate(data);
            if (!violations.isEmpty()) {
                throw new PoisonRecordException(type + " violates " + dataSchema + ": "
                        + violations.stream().map(ValidationMessage::getMessage).collect(Collectors.joining("; ")));
            }
        } else if (needingSchema.contains(type)) {
            throw new PoisonRecordException("no known schema " + dataSchema + " for " + type);
        }
        return new CloudEvent(id, type, tenant, header(headers, "ce_subject"), time, dataSchema, data);
    }

    /** The event's data as the caller's own class for its type. */
    public <T> T data(CloudEvent event, Class<T> type) {
        try {
            return json.treeToValue(event.data(), type); // reads the tree; convertValue would write it out first
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getMessage(), e); // what callers have always caught
        }
    }

    /**
     * ce_time. The relays write it in UTC with a 'Z', as {@link Instant#toString()} does; that form is read
     * here without DateTimeFormatter's general parser (a seventh of reading a record in a replay). Any other
     * form, RFC 3339 with an offset or a malformed time alike, is left to {@link OffsetDateTime#parse}.
     */
    static Instant time(String text) {
        Instant utc = utc(text);
        return utc != null ? utc : OffsetDateTime.parse(text).toInstant();
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, or null. */
    private static Instant utc(String t) {
        int n = t.length();
        boolean fraction = n > 20;
        if (n < 20 || n > 30 || n == 21 || t.charAt(n - 1) != 'Z' || t.charAt(4) != '-' || t.charAt(7) != '-'
                || t.charAt(10) != 'T' || t.charAt(13) != ':' || t.charAt(16) != ':' || fraction && t.charAt(19) != '.') {
            return null;
        }
        int nanos = fraction ? digits(t, 20, n - 21) : 0;
        if (nanos < 0) {
            return null;
        }
        for (int i = n - 21; fraction && i < 9; i++) {
            nanos *= 10;
        }
        try {
            return LocalDateTime.of(digits(t, 0, 4), digits(t, 5, 2), digits(t, 8, 2), digits(t, 11, 2),
                    digits(t, 14, 2), digits(t, 17, 2), nanos).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null; // out of range, or not digits (-1)
        }
    }

    /** The decimal number in {@code count} characters from {@code from}, or -1 when one is not a digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static JsonNode parse(Value value) {
        if (value == null) {
            throw new PoisonRecordException("record has no value");
        }
        JsonNode data;
        try {
            data = value.parse();
        } catch (JsonProcessingException e) {
            throw new PoisonRecordException("value is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not expected: the value is in memory, so only JSON errors occur
        }
        if (data == null || !data.isObject()) {
            throw new PoisonRecordException("value is not a JSON object");
        }
        return data;
    }

    private Optional<JsonSchema> schema(String id) {
        return schemas.computeIfAbsent(id, key -> {
            Matcher parts = SCHEMA_ID.matcher(key);
            if (!parts.matches()) {
                return Optional.empty();
            }
            String resource = "contract/" + parts.group(1) + "/" + parts.group(2) + ".v" + parts.group(3)
                    + ".schema.json";
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
                return in == null ? Optional.empty()
                        : Optional.of(factory.getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * True when the record names a type (ce_type) the consumer does not act on: it can be acknowledged
     * without parsing or checking it. A record without a type is read, and dead-lettered, as before.
     */
    public static boolean ignorable(Headers headers, Set<String> handledTypes) {
        String type = header(headers, "ce_type");
        return type != null && !type.isBlank() && !handledTypes.contains(type);
    }

    private static String required(Headers headers, String name) {
        String value = header(headers, name);
        if (value == null || value.isBlank()) {
            throw new PoisonRecordException("missing CloudEvents header " + name);
        }
        return value;
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
