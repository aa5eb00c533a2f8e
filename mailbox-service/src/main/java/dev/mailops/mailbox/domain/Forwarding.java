package dev.mailops.mailbox.domain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a mailbox forwards its mail: at most 20 addresses, none of them the mailbox itself, none
 * listed twice; and whether the mailbox keeps a copy, which only makes sense once it forwards somewhere.
 * Targets keep their local part as entered (another provider may treat it case-sensitively); only
 * the domain is normalised.
 */
public record Forwarding(List<String> targets, boolean keepCopy) {

    public static final int MAX_TARGETS = 20;
    public static final Forwarding NONE = new Forwarding(List.of(), false);

    public Forwarding {
        targets = List.copyOf(targets);
        if (targets.size() > MAX_TARGETS) {
            throw new IllegalArgumentException("at most " + MAX_TARGETS + " forwarding addresses");
        }
        if (keepCopy && targets.isEmpty()) {
            throw new IllegalArgumentException("a copy can only be kept when forwarding");
        }
    }

    /**
     * The forwarding of the mailbox at {@code own} (null when its own address is invalid), or null
     * after recording each violation under {@code forwardTo}, {@code forwardTo[i]} or {@code keepCopy}.
     */
    public static Forwarding check(FieldViolations violations, List<String> forwardTo, Boolean keepCopy,
            EmailAddress own) {
        List<String> targets = targets(violations, forwardTo, own);
        boolean copy = Boolean.TRUE.equals(keepCopy);
        if (copy && targets.isEmpty()) {
            violations.add("keepCopy", "can only be enabled once at least one forwarding address is entered");
            return null;
        }
        return targets.size() == sizeOf(forwardTo) ? new Forwarding(targets, copy) : null;
    }

    private static List<String> targets(FieldViolations violations, List<String> input, EmailAddress own) {
        if (input == null || input.isEmpty()) {
            return List.of();
        }
        if (input.size() > MAX_TARGETS) {
            violations.add("forwardTo", "at most " + MAX_TARGETS + " forwarding addresses are allowed");
            return List.of();
        }
        List<String> valid = new ArrayList<>();
        Set<EmailAddress> seen = new HashSet<>();
        for (int i = 0; i < input.size(); i++) {
            String field = "forwardTo[" + i + "]";
            String entered = input.get(i);
            EmailAddress target = violations.check(field, () -> EmailAddress.parse(entered));
            if (target == null) {
                continue;
            }
            if (target.equals(own)) {
                violations.add(field, "a mailbox cannot forward to itself");
            } else if (!seen.add(target)) {
                violations.add(field, target + " is listed twice");
            } else {
                String stripped = entered.strip();
                valid.add(stripped.substring(0, stripped.lastIndexOf('@')) + "@" + target.domain());
            }
        }
        return valid;
    }

    private static int sizeOf(List<String> input) {
        return input == null ? 0 : input.size();
    }
}
