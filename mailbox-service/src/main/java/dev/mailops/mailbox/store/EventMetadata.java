package dev.mailops.mailbox.store;

/** Who caused the events and in which request: stored with each event and carried onto the topic. */
public record EventMetadata(String tenantId, String actor, String correlationId) {
}
