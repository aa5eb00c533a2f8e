package dev.mailops.dns.provider;

import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Selects the mail profile from {@code dns.profile}: {@code mailbox-org} (the default, the mail provider's
 * records) or {@code self-hosted} (the deployment's own mail host, {@code dns.self-hosted.mail-host}).
 * A wrong selection stops the service at start, not at the first provisioned domain.
 */
@ApplicationScoped
public class MailProfiles {

    private static final Logger LOG = Logger.getLogger(MailProfiles.class);
    private static final Pattern HOST = Pattern.compile(
            "(?i)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.?");

    @ConfigProperty(name = "dns.profile", defaultValue = ProviderMailProfile.NAME)
    String profile;

    @Produces
    @Singleton
    MailProfile active(ProviderProfile provider, SelfHostedProfile selfHosted) {
        return switch (profile) {
            case ProviderMailProfile.NAME -> new ProviderMailProfile(provider);
            case SelfHostedMailProfile.NAME -> {
                String host = selfHosted.mailHost().map(String::strip).filter(h -> !h.isEmpty()).orElseThrow(
                        () -> new IllegalStateException("dns.profile=self-hosted needs dns.self-hosted.mail-host "
                                + "(DNS_SELF_HOSTED_MAIL_HOST), the mail host's name"));
                if (!HOST.matcher(host).matches()) {
                    throw new IllegalStateException("dns.self-hosted.mail-host is not a host name: " + host);
                }
                yield new SelfHostedMailProfile(selfHosted, host);
            }
            default -> throw new IllegalStateException("dns.profile must be " + ProviderMailProfile.NAME + " or "
                    + SelfHostedMailProfile.NAME + ", not '" + profile + "'");
        };
    }

    void atStart(@Observes StartupEvent start, MailProfile active) {
        LOG.infof("Mail profile %s: MX %s, mail host %s", active.name(), active.mx(), active.mailHost());
    }
}
