package dev.mailops.consumer;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/** A record of an event topic as CloudEvents binary mode carries it, its data checked against its schema. */
public record CloudEvent(UUID id, String type, String tenantId, String subject, Instant time, String dataSchema,
        JsonNode data) {
}
