package dev.mailops.dns.provider;

import java.util.List;
import java.util.Map;

import dev.mailops.dns.clients.ClientSettings;

/**
 * The profile of a deployment with its own mail host: MX, SPF, {@code mail.<domain>} and the service
 * records name that host. It has no fixed DKIM keys: each domain gets its own key pair under each of the
 * two selectors (mailbox-service generates them, the mail host signs with them), and the zone publishes
 * each selector's current public key as mailbox.events announces it (DkimKeyGenerated, DkimKeyRetired).
 * Until a domain's keys are generated its zone has no {@code _domainkey} name at all.
 */
final class SelfHostedMailProfile implements MailProfile {

    static final String NAME = "self-hosted";

    private final SelfHostedProfile settings;
    private final String mailHost;

    SelfHostedMailProfile(SelfHostedProfile settings, String mailHost) {
        this.settings = settings;
        this.mailHost = MailProfile.absolute(mailHost);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> mx() {
        return List.of(settings.mxPreference() + " " + mailHost);
    }

    @Override
    public String spfTerms() {
        return "a:" + mailHost.substring(0, mailHost.length() - 1);
    }

    @Override
    public Map<String, String> dkim() {
        return Map.of();
    }

    @Override
    public boolean ownDkimKeys() {
        return true;
    }

    @Override
    public String mailHost() {
        return mailHost;
    }

    @Override
    public MailRecordSettings settings() {
        return settings;
    }

    /**
     * Submission as RFC 6186 means it, with STARTTLS (the STARTTLS port), and submission over implicit TLS
     * as {@code _submissions} (RFC 8314), so a client that follows the records finds what the port speaks.
     */
    @Override
    public List<ServiceRecord> submissionServices(ClientSettings clients) {
        return List.of(new ServiceRecord("_submissions._tcp", 0, clients.ssl().smtp()),
                new ServiceRecord("_submission._tcp", 0, clients.starttls().smtp()));
    }
}
