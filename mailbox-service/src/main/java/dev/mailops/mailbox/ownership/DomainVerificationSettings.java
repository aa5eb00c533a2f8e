package dev.mailops.mailbox.ownership;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xbill.DNS.ResolverConfig;

import io.quarkus.runtime.StartupEvent;

import dev.mailops.mailbox.dns.DnsServer;
import dev.mailops.mailbox.domain.DomainName;
import dev.mailops.mailbox.domain.DomainOwnership;
import dev.mailops.mailbox.domain.InvalidValue;

/**
 * Which domains a tenant may register and how it proves them ({@code mailbox.domain-verification.*},
 * {@code mailbox.domains.*}), checked when the service starts: an unknown policy, an unparsable
 * resolver or name refuses to start rather than accept domains unproven.
 */
@ApplicationScoped
public class DomainVerificationSettings {

    private static final Logger LOG = Logger.getLogger(DomainVerificationSettings.class);

    @ConfigProperty(name = "mailbox.domain-verification.policy", defaultValue = "dns-txt")
    String policyName;
    @ConfigProperty(name = "mailbox.domain-verification.resolvers")
    Optional<List<String>> resolverNames;
    @ConfigProperty(name = "mailbox.domain-verification.timeout", defaultValue = "PT3S")
    Duration timeout;
    @ConfigProperty(name = "mailbox.domain-verification.check-interval", defaultValue = "PT1M")
    Duration checkInterval;
    @ConfigProperty(name = "mailbox.domain-verification.max-check-interval", defaultValue = "PT6H")
    Duration maxCheckInterval;
    @ConfigProperty(name = "mailbox.domain-verification.claim-lifetime", defaultValue = "P7D")
    Duration claimLifetime;
    @ConfigProperty(name = "mailbox.domains.provider-names")
    Optional<List<String>> providerNameSettings;
    @ConfigProperty(name = "mailbox.domains.reserved")
    Optional<List<String>> reservedNameSettings;

    private DomainOwnership policy;
    private List<DnsServer> resolvers;
    private List<DomainName> providerNames;
    private List<String> reservedNames;

    void check(@Observes StartupEvent event) {
        policy();
        providerNames();
        reservedNames();
        if (timeout.isZero() || timeout.isNegative() || checkInterval.isZero() || checkInterval.isNegative()
                || maxCheckInterval.compareTo(checkInterval) < 0 || claimLifetime.compareTo(checkInterval) < 0) {
            throw new IllegalStateException("mailbox.domain-verification: timeout and check-interval must be positive,"
                    + " max-check-interval and claim-lifetime at least check-interval");
        }
        if (policy == DomainOwnership.NONE) {
            LOG.warn("Domain verification is off (mailbox.domain-verification.policy=none): every domain a tenant"
                    + " registers is served and receives mail at once, unproven");
        } else {
            LOG.infof("Domains are verified by the TXT record %s<domain> through %s", DomainOwnership.RECORD_PREFIX,
                    resolvers());
        }
    }

    public synchronized DomainOwnership policy() {
        if (policy == null) {
            try {
                policy = DomainOwnership.of(policyName.strip().toLowerCase(Locale.ROOT));
            } catch (InvalidValue e) {
                throw new IllegalStateException("mailbox.domain-verification.policy (MAILBOX_DOMAIN_VERIFICATION): "
                        + e.getMessage());
            }
        }
        return policy;
    }

    /** The resolvers every one of which must find the proof: the configured ones, else the system's. */
    public synchronized List<DnsServer> resolvers() {
        if (resolvers == null) {
            List<DnsServer> configured = resolverNames.orElse(List.of()).stream().filter(name -> !name.isBlank())
                    .map(name -> DnsServer.parse("mailbox.domain-verification.resolvers", name)).toList();
            resolvers = configured.isEmpty() ? systemResolvers() : configured;
        }
        return resolvers;
    }

    private static List<DnsServer> systemResolvers() {
        List<InetSocketAddress> servers = ResolverConfig.getCurrentConfig().servers();
        return servers.stream().map(server -> new DnsServer(server.getAddress().getHostAddress(), server.getPort()))
                .toList();
    }

    /** The provider's own names (mail host, DNS zone): no tenant may register them, a parent or a child. */
    public synchronized List<DomainName> providerNames() {
        if (providerNames == null) {
            providerNames = names("mailbox.domains.provider-names", providerNameSettings).stream()
                    .map(DomainName::of).toList();
        }
        return providerNames;
    }

    /** Names (top-level domains among them) below which nothing may be registered. */
    public synchronized List<String> reservedNames() {
        if (reservedNames == null) {
            reservedNames = names("mailbox.domains.reserved", reservedNameSettings);
        }
        return reservedNames;
    }

    private static List<String> names(String setting, Optional<List<String>> values) {
        return values.orElse(List.of()).stream().map(value -> value.strip().toLowerCase(Locale.ROOT))
                .map(value -> value.endsWith(".") ? value.substring(0, value.length() - 1) : value)
                .filter(value -> !value.isEmpty())
                .peek(value -> {
                    if (!value.matches("[a-z0-9-]+(\\.[a-z0-9-]+)*")) {
                        throw new IllegalStateException(setting + ": '" + value + "' is not a domain name");
                    }
                }).toList();
    }

    public Duration timeout() {
        return timeout;
    }

    public Duration checkInterval() {
        return checkInterval;
    }

    public Duration maxCheckInterval() {
        return maxCheckInterval;
    }

    /** How long a pending claim holds the name (and how long a tenant whose claim expired waits to claim it again). */
    public Duration claimLifetime() {
        return claimLifetime;
    }
}
