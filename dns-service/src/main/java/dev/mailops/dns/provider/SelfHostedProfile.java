package dev.mailops.dns.provider;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The values of the self-hosted profile ({@code dns.self-hosted.*}): the deployment runs its own mail host
 * (Dovecot and Postfix, kept by mailhost-service) and every domain's records point at it.
 */
@ConfigMapping(prefix = "dns.self-hosted")
public interface SelfHostedProfile extends MailRecordSettings {

    /** The mail host's name, e.g. {@code mail.example.net}; required when the profile is selected. */
    Optional<String> mailHost();

    /** The preference of the one MX record. */
    @WithDefault("10")
    int mxPreference();
}
