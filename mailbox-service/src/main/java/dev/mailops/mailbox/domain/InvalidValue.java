package dev.mailops.mailbox.domain;

/**
 * A single value breaks its rule. Whoever knows which field the value came from records it in
 * {@link FieldViolations}, so the caller hears about every bad field at once.
 */
public final class InvalidValue extends DomainException {
    public InvalidValue(String message) {
        super(message);
    }
}
