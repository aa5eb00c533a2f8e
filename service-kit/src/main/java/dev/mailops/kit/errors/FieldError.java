package dev.mailops.kit.errors;

/** One rejected request field, as reported in a problem+json {@code errors} entry. */
public record FieldError(String field, String message) {
}
