package dev.mailops.dns.provider;

import java.util.List;
import java.util.Map;

import dev.mailops.dns.clients.ClientSettings;

/** The default profile: every domain's mail goes through the mail provider, mailbox.org ({@code dns.provider.*}). */
final class ProviderMailProfile implements MailProfile {

    static final String NAME = "mailbox-org";

    private final ProviderProfile provider;

    ProviderMailProfile(ProviderProfile provider) {
        this.provider = provider;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> mx() {
        return provider.mx();
    }

    @Override
    public String spfTerms() {
        return "include:" + provider.spfInclude();
    }

    @Override
    public Map<String, String> dkim() {
        return provider.dkim();
    }

    /** The provider signs with its own keys, the fixed ones above. */
    @Override
    public boolean ownDkimKeys() {
        return false;
    }

    @Override
    public String mailHost() {
        return MailProfile.absolute(provider.mailHost());
    }

    @Override
    public MailRecordSettings settings() {
        return provider;
    }

    /** Submission on the SSL/TLS port, as the provider's tables give it. */
    @Override
    public List<ServiceRecord> submissionServices(ClientSettings clients) {
        return List.of(new ServiceRecord("_submission._tcp", 0, clients.ssl().smtp()));
    }
}
