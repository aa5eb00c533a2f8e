package dev.mailops.mailbox.domain.event;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Everything that can happen in mailbox-service. The simple class name is the event type
 * ({@code ce_type} on the topic); each type has a JSON Schema under {@code contract/mailbox-events/}.
 * Changes are additive only: a breaking change becomes a new type or a new schema version.
 */
public sealed interface MailboxEvent
        permits DomainAdded, MailboxCreated, AliasAdded, AliasRemoved, MailboxDeleted, FeeChanged, AddressReleased {

    Map<String, Class<? extends MailboxEvent>> TYPES = Arrays.stream(MailboxEvent.class.getPermittedSubclasses())
            .map(type -> type.asSubclass(MailboxEvent.class))
            .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));

    @JsonIgnore
    default String type() {
        return getClass().getSimpleName();
    }

    /** Raised whenever a type's payload changes; consumers pick the schema by type and version. */
    @JsonIgnore
    default int schemaVersion() {
        return 1;
    }

    static Class<? extends MailboxEvent> classOf(String type) {
        Class<? extends MailboxEvent> eventClass = TYPES.get(type);
        if (eventClass == null) {
            throw new IllegalArgumentException("Unknown event type " + type);
        }
        return eventClass;
    }
}
