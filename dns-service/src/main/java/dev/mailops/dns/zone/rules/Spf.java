package dev.mailops.dns.zone.rules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * SPF records (RFC 7208): syntax, the limit of 10 DNS-lookup terms (include, a, mx, ptr, exists,
 * redirect; section 4.6.4), and the merge of the provider's terms (its include, or the mail host it names)
 * into the tenant's own record so a domain keeps exactly one SPF record (section 3.2).
 */
public final class Spf {

    public static final int MAX_LOOKUPS = 10;
    private static final Pattern TERM = Pattern.compile(
            "(?i)[+?~-]?(all|include:\\S+|a(:\\S+)?(/\\d+)?|mx(:\\S+)?(/\\d+)?|ptr(:\\S+)?|exists:\\S+"
                    + "|ip4:[0-9.]+(/\\d+)?|ip6:[0-9a-f:.]+(/\\d+)?)|(redirect|exp)=\\S+");
    private static final Pattern LOOKUP = Pattern.compile("(?i)[+?~-]?(include:|a$|a[:/]|mx$|mx[:/]|ptr|exists:)|redirect=.*");

    private Spf() {
    }

    public static boolean isSpf(String txt) {
        return txt.toLowerCase(Locale.ROOT).startsWith("v=spf1") && (txt.length() == 6 || txt.charAt(6) == ' ');
    }

    /** The record's terms after {@code v=spf1}; refuses what is not SPF syntax. */
    public static List<String> terms(String record) {
        if (!isSpf(record)) {
            throw new InvalidValue("an SPF record starts with v=spf1");
        }
        List<String> terms = new ArrayList<>();
        for (String term : record.substring(6).trim().split("\\s+")) {
            if (term.isEmpty()) {
                continue;
            }
            if (!TERM.matcher(term).matches()) {
                throw new InvalidValue("'" + term + "' is not an SPF mechanism or modifier (RFC 7208)");
            }
            terms.add(term);
        }
        return terms;
    }

    public static long lookups(List<String> terms) {
        return terms.stream().filter(term -> LOOKUP.matcher(term).lookingAt()).count();
    }

    /**
     * One record with the provider's terms first (e.g. {@code include:mailbox.org}) and the tenant's after
     * them; the tenant's "all" wins.
     */
    public static String merge(String providerTerms, String providerAll, String tenantRecord) {
        Set<String> mechanisms = new LinkedHashSet<>(terms("v=spf1 " + providerTerms));
        String all = providerAll;
        for (String term : terms(tenantRecord)) {
            if (term.toLowerCase(Locale.ROOT).matches("[+?~-]?all")) {
                all = term;
            } else {
                mechanisms.add(term);
            }
        }
        StringBuilder merged = new StringBuilder("v=spf1");
        mechanisms.forEach(term -> merged.append(' ').append(term));
        return merged.append(' ').append(all).toString();
    }

    /** Refuses a record that is not SPF or needs more than 10 lookups once the provider's terms are in. */
    public static void check(String providerTerms, String providerAll, String tenantRecord) {
        List<String> merged = terms(merge(providerTerms, providerAll, tenantRecord));
        long lookups = lookups(merged);
        if (lookups > MAX_LOOKUPS) {
            throw new InvalidValue("needs " + lookups + " DNS lookups together with the provider's "
                    + providerTerms + "; RFC 7208 allows at most " + MAX_LOOKUPS);
        }
    }
}
