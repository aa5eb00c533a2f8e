package dev.mailops.gateway.proxy;

import java.net.URI;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.smallrye.config.ConfigMapping;

/**
 * Where each part of the API lives, and which paths route there. The services are not reachable from
 * outside in a deployment; the gateway reaches them with the shared gateway token.
 */
@ConfigMapping(prefix = "gateway.backends")
public interface Backends {

    URI mailbox();

    URI billing();

    URI dns();

    Pattern DNS_PATHS = Pattern.compile("/api/v1/domains/[^/]+/(records|zone|check|client-settings)(/.*)?");
    /**
     * A domain's proof check and its own DKIM keys live with the domain in mailbox-service, not with its DNS
     * records; so do the migration's imports (a job each) and the mailbox export.
     */
    Pattern MAILBOX_PATHS = Pattern.compile(
            "/api/v1/(domains(/[^/]+(/verify|/dkim(/rotate)?)?)?|mailboxes(/.*)?|basic-fee|addresses/[^/]+"
                    + "|imports(/[^/]+)?|exports/mailboxes\\.csv)");
    Pattern BILLING_PATHS = Pattern.compile("/api/v1/(contract(/.*)?|rates|basic-fees|vat-rates)");
    Pattern MAIL_CLIENT_PATHS = Pattern.compile("/mail/config-v1\\.1\\.xml|/\\.well-known/autoconfig/mail/config-v1\\.1\\.xml"
            + "|/[Aa]utodiscover/[Aa]utodiscover\\.xml");

    /**
     * The fixed segments of the paths above; every other segment of a routed path is a name, an id or a month
     * (a forwarded request's metrics label hides those: ForwardedPathMetrics).
     */
    Set<String> FIXED_SEGMENTS = Set.of("api", "v1", "domains", "mailboxes", "basic-fee", "addresses", "imports",
            "exports", "mailboxes.csv", "contract", "billing-address", "statements", "revisions", "rates",
            "basic-fees", "vat-rates", "records", "zone", "check", "client-settings", "verify", "dkim", "rotate",
            "aliases", "enabled", "history", "password", "rate", "mail", "config-v1.1.xml", ".well-known",
            "autoconfig", "Autodiscover", "autodiscover", "Autodiscover.xml", "autodiscover.xml");

    /** The service that answers the path, if any does. */
    default Optional<URI> route(String path) {
        if (DNS_PATHS.matcher(path).matches() || MAIL_CLIENT_PATHS.matcher(path).matches()) {
            return Optional.of(dns());
        }
        if (MAILBOX_PATHS.matcher(path).matches()) {
            return Optional.of(mailbox());
        }
        if (BILLING_PATHS.matcher(path).matches()) {
            return Optional.of(billing());
        }
        return Optional.empty();
    }
}
