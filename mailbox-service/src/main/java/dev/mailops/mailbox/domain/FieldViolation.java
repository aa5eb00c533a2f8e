package dev.mailops.mailbox.domain;

/** One field of a command and the rule its value breaks. */
public record FieldViolation(String field, String message) {
}
