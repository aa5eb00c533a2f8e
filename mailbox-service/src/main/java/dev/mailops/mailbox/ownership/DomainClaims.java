package dev.mailops.mailbox.ownership;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.google.common.net.InternetDomainName;

import dev.mailops.kit.jdbc.Database;
import dev.mailops.mailbox.domain.DomainName;
import dev.mailops.mailbox.domain.RuleViolation;

/**
 * Which names a tenant may claim, across tenants. The index is the {@code mail_domain} table (every
 * registered domain, whoever owns it, written in the transaction of its DomainAdded). A name is
 * refused when it is a public suffix, when it is, or lies below, a reserved name, when it is a
 * provider's own name or its parent or child, and when another tenant's domain is its parent or its
 * child: one DNS server answers for every zone from the longest match, so a nested domain would take
 * over part of another tenant's. The refusals name the field, never the other tenant or its domain.
 */
@ApplicationScoped
public class DomainClaims {

    /**
     * How many of another tenant's domains are a parent of the name (?2: its parents, comma-separated) or
     * lie below it: reversed, they start with the reversed name and a dot, the range from ?3 (reversed name
     * and ".") to ?4 (reversed name and "/", the character after the dot). A prepared statement may run on a
     * generic plan from its sixth execution, planned without the values, and this form keeps both indexes
     * in it: a LIKE whose pattern is a parameter cannot use the reversed-name index there, and a LIMIT 1
     * let the planner expect an early match from reading the table; either way each registration read
     * every domain (1 ms at 2,600 domains, and growing with them).
     */
    static final String OTHER_TENANTS_PARENTS_OR_CHILDREN = """
            select count(*) from mail_domain
             where tenant_id <> ?
               and (domain = any(string_to_array(?, ',')) or (reverse(domain) ~>=~ ? and reverse(domain) ~<~ ?))""";

    /** The first key of the transaction locks on domain names (pg_advisory_xact_lock(int, int)). */
    static final int LOCK_SPACE = 0x444f4d;

    @Inject
    Database database;
    @Inject
    DomainVerificationSettings settings;

    /** Refuses a name no tenant may register. */
    public void checkClaimable(DomainName name) {
        InternetDomainName internetName = InternetDomainName.from(name.name());
        boolean reserved = settings.reservedNames().stream().anyMatch(reservedName -> sameOrBelow(name.name(), reservedName));
        if (internetName.isPublicSuffix() || reserved) {
            throw refused("domain-reserved", "Domain reserved",
                    name + " is reserved or a public suffix and cannot be registered by a customer", name);
        }
        boolean provider = settings.providerNames().stream()
                .anyMatch(own -> sameOrBelow(name.name(), own.name()) || sameOrBelow(own.name(), name.name()));
        if (provider) {
            throw refused("domain-reserved", "Domain reserved",
                    name + " is, contains or lies inside a name of the provider and cannot be registered", name);
        }
    }

    /**
     * Refuses the name when another tenant's domain is its parent or its child. Runs in the transaction
     * that appends the DomainAdded: it first locks the name exclusively and each of its parents shared,
     * so two nested registrations (the shorter name's lock exclusive in one, shared in the other) run one
     * after the other and the second sees the first's commit, while siblings under a common parent (every
     * shop under one reseller's name) do not wait for each other. Locks are taken in key order, so two
     * registrations never wait for each other both ways.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void checkNotNested(DomainName name, String tenantId) {
        List<String> suffixes = suffixes(name);
        SortedMap<Integer, Boolean> exclusiveByKey = new TreeMap<>();
        suffixes.forEach(suffix -> exclusiveByKey.merge(suffix.hashCode(), suffix.equals(name.name()), Boolean::logicalOr));
        exclusiveByKey.forEach((key, exclusive) -> database.list(exclusive
                ? "select pg_advisory_xact_lock(?, ?)" : "select pg_advisory_xact_lock_shared(?, ?)",
                row -> key, LOCK_SPACE, key));
        List<String> parents = suffixes.subList(1, suffixes.size());
        String reversed = new StringBuilder(name.name()).reverse().toString();
        boolean nested = database.count(OTHER_TENANTS_PARENTS_OR_CHILDREN, tenantId, String.join(",", parents),
                reversed + ".", reversed + "/") > 0;
        if (nested) {
            throw refused("domain-nested", "Domain overlaps another customer's domain",
                    name + " contains or lies inside a domain of another customer", name);
        }
    }

    /** The name and each parent of it with at least two labels, the name first. */
    private static List<String> suffixes(DomainName name) {
        List<String> suffixes = new ArrayList<>();
        String suffix = name.name();
        while (suffix.indexOf('.') > 0) {
            suffixes.add(suffix);
            suffix = suffix.substring(suffix.indexOf('.') + 1);
        }
        return suffixes;
    }

    private static boolean sameOrBelow(String name, String parent) {
        return name.equals(parent) || name.endsWith("." + parent);
    }

    private static RuleViolation refused(String code, String title, String message, DomainName name) {
        return new RuleViolation(code, title, message, Map.of("field", "domain", "domain", name.name()));
    }
}
