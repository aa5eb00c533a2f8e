package dev.mailops.mailbox.domain;

/** Nothing of that id exists for the tenant (another tenant's data included). */
public final class NotFound extends DomainException {
    public NotFound(String message) {
        super(message);
    }
}
