package dev.mailops.mailbox.domain;

import java.util.Map;

/**
 * The command is well formed but the current state forbids it (address taken or blocked, alias limit
 * reached, domain of another tenant). Reported as 409 with a stable {@code code} and details.
 */
public class ConflictException extends RuntimeException {
    private final String code;
    private final Map<String, Object> details;

    public ConflictException(String code, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.code = code;
        this.details = Map.copyOf(details);
    }

    public ConflictException(String code, String message) {
        this(code, message, Map.of());
    }

    public String code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }
}
