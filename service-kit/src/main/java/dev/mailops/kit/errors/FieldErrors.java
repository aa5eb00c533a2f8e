package dev.mailops.kit.errors;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Collects every bad field of a request so the caller hears about all of them at once. */
public final class FieldErrors {
    private final List<FieldError> errors = new ArrayList<>();

    /** Returns the parsed value, or null after recording why the field is invalid. */
    public <T> T check(String field, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (InvalidValueException e) {
            add(field, e.getMessage());
            return null;
        }
    }

    public void add(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    public boolean has(String field) {
        return errors.stream().anyMatch(e -> e.field().equals(field));
    }

    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }
}
