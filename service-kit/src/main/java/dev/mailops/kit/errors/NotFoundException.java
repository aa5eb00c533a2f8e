package dev.mailops.kit.errors;

/** Nothing of that id exists for the requesting tenant (another tenant's data included). Reported as 404. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message, null, false, false);
    }
}
