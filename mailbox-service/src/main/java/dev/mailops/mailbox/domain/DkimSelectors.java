package dev.mailops.mailbox.domain;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The deployment's two DKIM selectors: the first signs once a domain's keys are published, the second
 * waits, published, to take over on a rotation. Each is a DNS label in lower case (RFC 6376 s=).
 */
public record DkimSelectors(String first, String second) {

    private static final Pattern SELECTOR = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    public DkimSelectors {
        for (String selector : new String[] { first, second }) {
            if (selector == null || !SELECTOR.matcher(selector).matches()) {
                throw new InvalidValue("'" + selector + "' is not a DKIM selector: a DNS label of 1-63 lower-case "
                        + "letters, digits or inner hyphens");
            }
        }
        if (first.equals(second)) {
            throw new InvalidValue("the two DKIM selectors must differ, both are '" + first + "'");
        }
    }

    /** Exactly two selectors, as configured (for example {@code mbo0001,mbo0002}). */
    public static DkimSelectors of(List<String> selectors) {
        List<String> given = selectors.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (given.size() != 2) {
            throw new InvalidValue("exactly two DKIM selectors are needed, not " + given);
        }
        return new DkimSelectors(given.get(0), given.get(1));
    }

    public List<String> both() {
        return List.of(first, second);
    }
}
