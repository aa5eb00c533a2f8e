package dev.mailops.mailhost.hosting.rules;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The rules that turn a mailbox's events into what the mail host serves: the quota is the rate's
 * storage ({@code storageGiB} × 2³⁰ bytes), the home is {@code domain/localPart} below the mail root,
 * and a copy of forwarded mail stays in the mailbox only when there is something to forward.
 */
public final class MailHostRules {

    static final long BYTES_PER_GIB = 1L << 30;

    private final Rates rates;

    public MailHostRules(Rates rates) {
        this.rates = rates;
    }

    /** The quota of a mailbox at this rate; an unknown rate is refused. */
    public long quotaBytes(String rate) {
        return rates.storageGiB(rate).map(gib -> gib * BYTES_PER_GIB).orElseThrow(() -> new UnknownRateException(rate));
    }

    /** The mailbox's home below the mail root: {@code domain/localPart}, as Dovecot's userdb names it. */
    public static String maildir(String address) {
        String lower = address.toLowerCase(Locale.ROOT);
        int at = lower.lastIndexOf('@');
        if (at <= 0 || at == lower.length() - 1) {
            throw new IllegalArgumentException("not an address: " + address);
        }
        return lower.substring(at + 1) + "/" + lower.substring(0, at);
    }

    public static String domainOf(String address) {
        return address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    /** A newly created mailbox. */
    public HostedMailbox created(UUID id, String tenantId, String address, String rate, List<String> forwardTo,
            boolean keepCopy) {
        String lower = address.toLowerCase(Locale.ROOT);
        List<String> targets = forwardTo.stream().map(target -> target.toLowerCase(Locale.ROOT)).distinct().toList();
        return new HostedMailbox(id, tenantId, lower, domainOf(lower), maildir(lower), rate, quotaBytes(rate), targets,
                keepCopy && !targets.isEmpty());
    }
}
