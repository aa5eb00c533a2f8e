package dev.mailops.dns.provider;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The mail provider's DNS values (mailbox.org's SPF include and DKIM keys by default).
 * Configuration, not code: another provider is another set of {@code dns.provider.*} values.
 */
@ConfigMapping(prefix = "dns.provider")
public interface ProviderProfile {

    /** MX records as "preference host.", e.g. {@code 10 mxext1.mailbox.org.}. */
    List<String> mx();

    /** The domain the SPF record includes, e.g. {@code mailbox.org}. */
    String spfInclude();

    /** The SPF "all" term of the provider's record, e.g. {@code ~all}. */
    @WithDefault("~all")
    String spfAll();

    /** DKIM selectors and their TXT values: {@code mbo0001} and the backup {@code mbo0002}. */
    Map<String, String> dkim();

    /** The DMARC policy: none, quarantine or reject. */
    @WithDefault("none")
    String dmarcPolicy();

    /** Where DMARC aggregate reports go (mailto: URI), if anywhere. */
    Optional<String> dmarcReports();

    /** The provider's mail server host that {@code mail.<domain>} points to (CNAME). */
    String mailHost();

    @WithDefault("3600")
    int ttl();
}
