package dev.mailops.kit.errors;

/** A single value that breaks a rule; the caller knows which field it came from. */
public class InvalidValueException extends RuntimeException {
    public InvalidValueException(String message) {
        super(message, null, false, false);
    }
}
