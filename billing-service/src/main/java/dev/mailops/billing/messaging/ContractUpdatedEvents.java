package dev.mailops.billing.messaging;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.billing.catalog.Catalog;
import dev.mailops.billing.contract.ContractRevision;
import dev.mailops.outbox.OutgoingEvent;

/**
 * Writes ContractUpdated for every contract revision to billing's outbox, in the transaction that
 * made the revision; the relay publishes it to billing.events after the commit. The CloudEvent id is
 * derived from tenant and revision, so the same revision always carries the same id.
 */
@ApplicationScoped
public class ContractUpdatedEvents {

    static final String TYPE = "ContractUpdated";
    static final URI SCHEMA = OutgoingEvent.schema("billing-events", TYPE, 1);

    /** The record value: see contract/billing-events/ContractUpdated.v1.schema.json. */
    record ContractUpdated(String tenantId, int revision, Cause cause, String change, String basicFeePlan,
            int activeMailboxes, String monthlyNetTotal, String currency, Instant occurredAt) {
    }

    record Cause(UUID eventId, String type, String subject) {
    }

    @Inject
    ObjectMapper json;

    @Inject
    Catalog catalog;

    @Inject
    BillingOutbox outbox;

    /** Writes the revision's ContractUpdated in the caller's transaction. */
    public void append(ContractRevision revision) {
        ContractUpdated data = new ContractUpdated(revision.tenantId, revision.revision,
                new Cause(revision.causeEventId, revision.causeEventType, revision.causeSubject), revision.change,
                revision.basicFeePlan, revision.activeMailboxes, money(revision.monthlyNetTotal), catalog.currency(),
                revision.occurredAt);
        outbox.append(new OutgoingEvent(eventId(revision), TYPE, SCHEMA, revision.tenantId, revision.tenantId,
                revision.occurredAt, Map.of("causationid", revision.causeEventId.toString()), toJson(data), null));
    }

    static UUID eventId(ContractRevision revision) {
        return UUID.nameUUIDFromBytes((TYPE + ":" + revision.tenantId + ":" + revision.revision)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String money(BigDecimal amount) {
        return amount.setScale(2).toPlainString();
    }

    private String toJson(ContractUpdated data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise ContractUpdated", e);
        }
    }
}
