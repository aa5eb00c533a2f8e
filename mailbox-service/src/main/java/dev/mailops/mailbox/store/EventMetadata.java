package dev.mailops.mailbox.store;

import dev.mailops.kit.web.Caller;


/** Who caused the events and in which request: stored with each event and carried onto the topic. */
public record EventMetadata(String tenantId, String actor, String correlationId) {

    public static EventMetadata of(Caller caller) {
        return new EventMetadata(caller.tenantId(), caller.userId(), caller.correlationId());
    }
}
