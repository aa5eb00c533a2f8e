package dev.mailops.mailbox.domain.event;

import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Everything that can happen in mailbox-service. Each type's name ({@code ce_type} on the topic, the
 * {@code event_type} in the store) is written out in {@link #TYPES}, so renaming a class cannot
 * change the wire format; each has a JSON Schema under {@code contract/mailbox-events/}.
 * Changes are additive only: a breaking change becomes a new type or a new schema version.
 */
public sealed interface MailboxEvent
        permits DomainAdded, DomainVerified, DomainClaimExpired, MailboxCreated, AliasAdded, AliasRemoved, MailboxDeleted, FeeChanged, AddressReleased,
        PasswordChanged, RateChanged, DkimKeyGenerated, DkimKeyPublished, DkimSelectorActivated, DkimKeyRetired {

    /** The published name of each event type. */
    Map<String, Class<? extends MailboxEvent>> TYPES = Map.ofEntries(
            Map.entry("DomainAdded", DomainAdded.class),
            Map.entry("DomainVerified", DomainVerified.class),
            Map.entry("DomainClaimExpired", DomainClaimExpired.class),
            Map.entry("MailboxCreated", MailboxCreated.class),
            Map.entry("AliasAdded", AliasAdded.class),
            Map.entry("AliasRemoved", AliasRemoved.class),
            Map.entry("MailboxDeleted", MailboxDeleted.class),
            Map.entry("FeeChanged", FeeChanged.class),
            Map.entry("AddressReleased", AddressReleased.class),
            Map.entry("PasswordChanged", PasswordChanged.class),
            Map.entry("RateChanged", RateChanged.class),
            Map.entry("DkimKeyGenerated", DkimKeyGenerated.class),
            Map.entry("DkimKeyPublished", DkimKeyPublished.class),
            Map.entry("DkimSelectorActivated", DkimSelectorActivated.class),
            Map.entry("DkimKeyRetired", DkimKeyRetired.class));

    @JsonIgnore
    default String type() {
        return Names.OF_CLASS.get(getClass());
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

    /** {@link #TYPES} the other way round. */
    final class Names {
        private static final Map<Class<? extends MailboxEvent>, String> OF_CLASS = TYPES.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getValue, Map.Entry::getKey));

        private Names() {
        }
    }
}
