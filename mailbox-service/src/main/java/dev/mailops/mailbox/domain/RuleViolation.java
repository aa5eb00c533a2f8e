package dev.mailops.mailbox.domain;

import java.util.Map;

/**
 * The command is well formed but the current state forbids it, for example an address already in
 * use. {@code code} names the rule for machines, {@code title} for people, {@code details} the
 * values involved.
 */
public final class RuleViolation extends DomainException {
    private final String code;
    private final String title;
    private final Map<String, Object> details;

    public RuleViolation(String code, String title, String message, Map<String, Object> details) {
        super(message);
        this.code = code;
        this.title = title;
        this.details = Map.copyOf(details);
    }

    public RuleViolation(String code, String title, String message) {
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
