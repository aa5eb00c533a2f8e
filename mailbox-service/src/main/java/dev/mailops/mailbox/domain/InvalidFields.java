package dev.mailops.mailbox.domain;

import java.util.List;

/** One or more fields of a command break their rules; nothing has been decided. */
public final class InvalidFields extends DomainException {
    private final List<FieldViolation> violations;

    public InvalidFields(List<FieldViolation> violations) {
        super(violations.stream().map(v -> v.field() + ": " + v.message()).reduce((a, b) -> a + "; " + b).orElse(""));
        this.violations = List.copyOf(violations);
    }

    public static InvalidFields of(String field, String message) {
        return new InvalidFields(List.of(new FieldViolation(field, message)));
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}
