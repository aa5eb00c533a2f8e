package dev.mailops.dns.zone.rules;

/** A single value that breaks a rule; the caller knows which field it came from. */
public class InvalidValue extends RuntimeException {
    public InvalidValue(String message) {
        super(message, null, false, false);
    }
}
