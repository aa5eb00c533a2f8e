package dev.mailops.mailbox.api;

import dev.mailops.kit.web.Caller;
import dev.mailops.mailbox.store.EventMetadata;

/** Who caused a command's events, as the gateway identified the caller of the request. */
final class CallerMetadata {

    private CallerMetadata() {
    }

    static EventMetadata of(Caller caller) {
        return new EventMetadata(caller.tenantId(), caller.userId(), caller.correlationId());
    }
}
