package dev.mailops.mailbox.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Collects every bad field of a command, in the order checked, so all of them are reported at once. */
public final class FieldViolations {
    private final List<FieldViolation> violations = new ArrayList<>();

    /** The value {@code parse} makes of the field, or null after recording why the field is invalid. */
    public <T> T check(String field, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (InvalidValue e) {
            add(field, e.getMessage());
            return null;
        }
    }

    public void add(String field, String message) {
        violations.add(new FieldViolation(field, message));
    }

    public List<FieldViolation> list() {
        return List.copyOf(violations);
    }

    /** Throws {@link InvalidFields} with everything recorded, if anything was. */
    public void throwIfAny() {
        if (!violations.isEmpty()) {
            throw new InvalidFields(violations);
        }
    }
}
