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
    public String spfAll() {
        return provider.spfAll();
    }

    @Override
    public Map<String, String> dkim() {
        return provider.dkim();
    }

    @Override
    public String dmarc() {
        return MailProfile.dmarc(provider.dmarcPolicy(), provider.dmarcReports());
    }

    @Override
    public String mailHost() {
        return MailProfile.absolute(provider.mailHost());
    }

    @Override
    public int ttl() {
        return provider.ttl();
    }

    /** Submission on the SSL/TLS port, as the provider's tables give it. */
    @Override
    public List<ServiceRecord> services(ClientSettings clients) {
        return List.of(new ServiceRecord("_imaps._tcp", 0, clients.ssl().imap()),
                new ServiceRecord("_imap._tcp", 10, clients.starttls().imap()),
                new ServiceRecord("_pop3s._tcp", 20, clients.ssl().pop3()),
                new ServiceRecord("_pop3._tcp", 30, clients.starttls().pop3()),
                new ServiceRecord("_submission._tcp", 0, clients.ssl().smtp()));
    }
}
