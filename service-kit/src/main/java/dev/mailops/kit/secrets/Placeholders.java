package dev.mailops.kit.secrets;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Values that are no secret because anyone can read them in an example, a README or a default:
 * {@code change-me}, {@code REPLACE_ME}, {@code local-gateway-token}, {@code changeit}, {@code secret},
 * {@code password} and their kin, compared without case, the tell-tale ones also inside a longer value
 * ({@code change-me-now}, {@code my-REPLACE_ME-token}).
 */
public final class Placeholders {

    /** A value that is one of these, and nothing more, is a placeholder. */
    private static final Set<String> WHOLE = Set.of("secret", "password", "passwd", "passw0rd", "changeit", "admin",
            "token", "test", "default", "example", "todo", "xxx", "null", "none", "empty", "12345678", "123456");

    /** A value that holds one of these anywhere is a placeholder. */
    private static final List<String> ANYWHERE = List.of("change-me", "change_me", "changeme", "changeit",
            "replace-me", "replace_me", "replaceme", "local-gateway-token", "placeholder", "your-secret", "your_secret",
            "<secret>", "${");

    private Placeholders() {
    }

    public static boolean isPlaceholder(String value) {
        String normalized = value.strip().toLowerCase(Locale.ROOT);
        return WHOLE.contains(normalized) || ANYWHERE.stream().anyMatch(normalized::contains);
    }
}
