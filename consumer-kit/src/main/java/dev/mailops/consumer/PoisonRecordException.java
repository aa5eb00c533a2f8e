package dev.mailops.consumer;

/** A record that can never be processed (not a CloudEvent, not JSON, against its schema): dead-letter it. */
public class PoisonRecordException extends RuntimeException {
    public PoisonRecordException(String message) {
        super(message);
    }

    public PoisonRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
