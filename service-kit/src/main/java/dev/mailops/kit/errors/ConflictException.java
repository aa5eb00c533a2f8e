package dev.mailops.kit.errors;

import java.util.Map;

/**
 * The request is well formed but the current state forbids it (for example an address already in
 * use). Reported as 409 with the type {@code /problems/<code>}, the title, and the details as members.
 */
public class ConflictException extends RuntimeException {
    private final String code;
    private final String title;
    private final Map<String, Object> details;

    public ConflictException(String code, String title, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.code = code;
        this.title = title;
        this.details = Map.copyOf(details);
    }

    public ConflictException(String code, String title, String message) {
        this(code, title, message, Map.of());
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> details() {
        return details;
    }
}
