package dev.mailops.dns.zone.rules;

import java.util.List;

/** A tenant's record with fields that break the rules, each named with what is wrong; nothing is stored. */
public class InvalidRecord extends RuntimeException {

    /** One refused field of the request. */
    public record Violation(String field, String message) {
    }

    private final List<Violation> violations;

    public InvalidRecord(List<Violation> violations) {
        super(violations.stream().map(v -> v.field() + ": " + v.message()).reduce((a, b) -> a + "; " + b).orElse(""),
                null, false, false);
        this.violations = List.copyOf(violations);
    }

    static InvalidRecord of(String field, String message) {
        return new InvalidRecord(List.of(new Violation(field, message)));
    }

    public List<Violation> violations() {
        return violations;
    }
}
