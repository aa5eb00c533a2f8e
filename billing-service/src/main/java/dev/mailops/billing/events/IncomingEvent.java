package dev.mailops.billing.events;

import java.time.Instant;
import java.util.UUID;

/** A CloudEvent from mailbox.events, checked against its schema; {@code data} is the typed payload. */
public record IncomingEvent(UUID id, String type, String tenantId, String subject, Instant time, Object data) {
}
