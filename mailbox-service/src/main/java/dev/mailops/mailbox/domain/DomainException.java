package dev.mailops.mailbox.domain;

/**
 * A command the domain refuses. The family is closed so that the edge, which turns each kind into
 * its HTTP answer, cannot miss one; the domain itself knows nothing of HTTP.
 */
public abstract sealed class DomainException extends RuntimeException
        permits RuleViolation, NotFound, InvalidFields, InvalidValue {

    DomainException(String message) {
        super(message, null, false, false);
    }
}
