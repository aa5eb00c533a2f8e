package dev.mailops.mailbox.domain.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A tenant registered a mail domain; it belongs to that tenant only. With a verification token the
 * domain is pending until {@link DomainVerified}; without one (registered before ownership had to be
 * proven, or under a policy that asks for no proof) it counts as verified.
 */
public record DomainAdded(String domain, @JsonInclude(JsonInclude.Include.NON_NULL) String verificationToken)
        implements MailboxEvent {

    /** A domain that needs no proof. */
    public DomainAdded(String domain) {
        this(domain, null);
    }
}
