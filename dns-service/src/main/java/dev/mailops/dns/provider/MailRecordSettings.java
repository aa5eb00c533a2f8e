package dev.mailops.dns.provider;

import java.util.Optional;

import io.smallrye.config.WithDefault;

/**
 * The values every profile configures alike under its own prefix ({@link ProviderProfile},
 * {@link SelfHostedProfile}): the SPF record's final term, DMARC and the records' TTL.
 */
public interface MailRecordSettings {

    /** The final "all" term of the SPF record, e.g. {@code ~all}. */
    @WithDefault("~all")
    String spfAll();

    /** The DMARC policy: none, quarantine or reject. */
    @WithDefault("none")
    String dmarcPolicy();

    /** Where DMARC aggregate reports go (mailto: URI), if anywhere. */
    Optional<String> dmarcReports();

    /** TTL of every provisioned record, of SOA and NS, and the default of a tenant's record. */
    @WithDefault("3600")
    int ttl();
}
