package dev.mailops.gateway.paging;

import java.util.List;

import dev.mailops.kit.errors.FieldErrors;

/**
 * One page of a list, in the shape the services' lists have ({@code page} from 0, {@code size} up to
 * {@link #MAX_SIZE}). Both numbers are bounded before any arithmetic, so a huge value is a 400 naming the
 * field rather than an overflow.
 */
public record Page<T>(List<T> items, int page, int size, long totalItems, long totalPages) {

    public static final int MAX_SIZE = 100;
    public static final int MAX_PAGE = 100_000;

    /** A validated page request. */
    public record Request(int page, int size) {
        /** Parses {@code page} and {@code size} as the query gives them; 400 naming each bad field. */
        public static Request parse(String page, String size) {
            FieldErrors errors = new FieldErrors();
            int pageNumber = number(page, 0, 0, MAX_PAGE, "page", errors);
            int pageSize = number(size, 20, 1, MAX_SIZE, "size", errors);
            errors.throwIfAny();
            return new Request(pageNumber, pageSize);
        }

        public int offset() {
            return page * size; // at most 100,000 x 100
        }

        public <T> Page<T> of(List<T> items, long totalItems) {
            return new Page<>(items, page, size, totalItems, (totalItems + size - 1) / size);
        }

        private static int number(String value, int fallback, int min, int max, String field, FieldErrors errors) {
            if (value == null || value.isBlank()) {
                return fallback;
            }
            try {
                String digits = value.strip();
                if (digits.length() <= 9) {
                    int parsed = Integer.parseInt(digits);
                    if (parsed >= min && parsed <= max) {
                        return parsed;
                    }
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            errors.add(field, "must be a whole number from " + min + " to " + max);
            return fallback;
        }
    }
}
