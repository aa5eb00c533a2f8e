package dev.mailops.dns.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.mailops.dns.clients.ClientSettings;

/** Given a profile and the client settings, when a domain is provisioned, then these records. */
class MailProfileTest {

    static ClientSettings clients(String pattern, int[] ssl, int[] starttls) {
        return new ClientSettings() {
            @Override
            public String serverPattern() {
                return pattern;
            }

            @Override
            public Ports ssl() {
                return ports(ssl);
            }

            @Override
            public Ports starttls() {
                return ports(starttls);
            }

            @Override
            public Ports none() {
                return ports(new int[] { 143, 110, 25 });
            }
        };
    }

    static ClientSettings.Ports ports(int[] ports) {
        return new ClientSettings.Ports() {
            @Override
            public int imap() {
                return ports[0];
            }

            @Override
            public int pop3() {
                return ports[1];
            }

            @Override
            public int smtp() {
                return ports[2];
            }
        };
    }

    static SelfHostedProfile selfHosted(Optional<String> reports) {
        return selfHosted(Optional.of("mail.example.net"), reports);
    }

    static SelfHostedProfile selfHosted(Optional<String> mailHost, Optional<String> reports) {
        return new SelfHostedProfile() {
            @Override
            public Optional<String> mailHost() {
                return mailHost;
            }

            @Override
            public int mxPreference() {
                return 10;
            }

            @Override
            public String spfAll() {
                return "~all";
            }

            @Override
            public String dmarcPolicy() {
                return "quarantine";
            }

            @Override
            public Optional<String> dmarcReports() {
                return reports;
            }

            @Override
            public int ttl() {
                return 300;
            }
        };
    }

    static final ClientSettings LOCAL = clients("mail.{domain}", new int[] { 10993, 10995, 10465 },
            new int[] { 10143, 10110, 10587 });

    static List<String> lines(List<ProvidedRecord> records) {
        return records.stream().map(r -> r.name() + " " + r.type() + " " + r.value()).toList();
    }

    @Test
    void theSelfHostedProfilePointsEveryRecordAtTheMailHostOnTheConfiguredPorts() {
        MailProfile profile = new SelfHostedMailProfile(selfHosted(Optional.empty()), "mail.example.net");

        List<ProvidedRecord> records = profile.records("shop.example", LOCAL);

        assertThat(lines(records)).containsExactly(
                "@ MX 10 mail.example.net.",
                "@ TXT v=spf1 a:mail.example.net ~all",
                "_dmarc TXT v=DMARC1; p=quarantine",
                "mail CNAME mail.example.net.",
                "_imaps._tcp SRV 0 1 10993 mail.example.net.",
                "_imap._tcp SRV 10 1 10143 mail.example.net.",
                "_pop3s._tcp SRV 20 1 10995 mail.example.net.",
                "_pop3._tcp SRV 30 1 10110 mail.example.net.",
                "_submissions._tcp SRV 0 1 10465 mail.example.net.",
                "_submission._tcp SRV 0 1 10587 mail.example.net.");
        assertThat(profile.ttl()).isEqualTo(300);
    }

    @Test
    void theSelfHostedProfileHasNoFixedDkimKeysButPublishesEachDomainsOwn() {
        MailProfile profile = new SelfHostedMailProfile(selfHosted(Optional.of("mailto:dmarc@example.net")),
                "mail.example.net.");

        List<ProvidedRecord> records = profile.records("shop.example", LOCAL);

        assertThat(records).noneMatch(r -> r.name().contains("_domainkey") || r.value().startsWith("v=DKIM1"));
        assertThat(profile.ownDkimKeys()).isTrue();
        assertThat(lines(records)).contains("_dmarc TXT v=DMARC1; p=quarantine; rua=mailto:dmarc@example.net");
    }

    @Test
    void aClientServerOutsideTheDomainGetsNoCname() {
        MailProfile profile = new SelfHostedMailProfile(selfHosted(Optional.empty()), "mail.example.net");

        List<ProvidedRecord> records = profile.records("shop.example",
                clients("mail.example.net", new int[] { 993, 995, 465 }, new int[] { 143, 110, 587 }));

        assertThat(records).noneMatch(r -> r.type().equals("CNAME"));
        assertThat(lines(records)).contains("_submission._tcp SRV 0 1 587 mail.example.net.");
    }

    @Test
    void theProviderProfileKeepsTheProvidersRecordsAndKeys() {
        MailProfile profile = new ProviderMailProfile(new ProviderProfile() {
            @Override
            public List<String> mx() {
                return List.of("10 mxext1.mailbox.org.", "20 mxext3.mailbox.org.");
            }

            @Override
            public String spfInclude() {
                return "mailbox.org";
            }

            @Override
            public String spfAll() {
                return "~all";
            }

            @Override
            public Map<String, String> dkim() {
                return Map.of("mbo0002", "v=DKIM1; k=rsa; p=B", "mbo0001", "v=DKIM1; k=rsa; p=A");
            }

            @Override
            public String dmarcPolicy() {
                return "none";
            }

            @Override
            public Optional<String> dmarcReports() {
                return Optional.empty();
            }

            @Override
            public String mailHost() {
                return "mailbox.org.";
            }

            @Override
            public int ttl() {
                return 3600;
            }
        });

        List<ProvidedRecord> records = profile.records("shop.example",
                clients("mail.{domain}", new int[] { 993, 995, 587 }, new int[] { 143, 110, 25 }));

        assertThat(profile.ownDkimKeys()).isFalse();
        assertThat(lines(records)).containsExactly(
                "@ MX 10 mxext1.mailbox.org.",
                "@ MX 20 mxext3.mailbox.org.",
                "@ TXT v=spf1 include:mailbox.org ~all",
                "mbo0001._domainkey TXT v=DKIM1; k=rsa; p=A",
                "mbo0002._domainkey TXT v=DKIM1; k=rsa; p=B",
                "_dmarc TXT v=DMARC1; p=none",
                "mail CNAME mailbox.org.",
                "_imaps._tcp SRV 0 1 993 mailbox.org.",
                "_imap._tcp SRV 10 1 143 mailbox.org.",
                "_pop3s._tcp SRV 20 1 995 mailbox.org.",
                "_pop3._tcp SRV 30 1 110 mailbox.org.",
                "_submission._tcp SRV 0 1 587 mailbox.org.");
    }

    @Test
    void theSelfHostedProfileWithoutAMailHostOrAnUnknownProfileStopsTheService() {
        MailProfiles profiles = new MailProfiles();
        SelfHostedProfile noHost = selfHosted(Optional.empty(), Optional.empty());

        profiles.profile = "self-hosted";
        assertThatThrownBy(() -> profiles.active(null, noHost)).hasMessageContaining("dns.self-hosted.mail-host");
        profiles.profile = "self-hosted";
        assertThat(profiles.active(null, selfHosted(Optional.empty())).mx()).containsExactly("10 mail.example.net.");
        profiles.profile = "selfhosted";
        assertThatThrownBy(() -> profiles.active(null, noHost)).hasMessageContaining("mailbox-org or self-hosted");
    }
}
