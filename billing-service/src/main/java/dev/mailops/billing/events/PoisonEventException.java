package dev.mailops.billing.events;

/** A record that can never be processed (not a CloudEvent, not JSON, or against its schema): dead-letter it. */
public class PoisonEventException extends RuntimeException {
    public PoisonEventException(String message) {
        super(message);
    }

    public PoisonEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
