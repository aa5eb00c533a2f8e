package dev.mailops.dns.provider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.mailops.dns.clients.ClientSettings;

/**
 * Whose mail host a domain's mail records point at: the mail provider's (mailbox.org, the default) or the
 * deployment's own. Which one applies is deployment configuration ({@code dns.profile}, see
 * {@link MailProfiles}).
 */
public interface MailProfile {

    /** The profile's name as {@code dns.profile} selects it. */
    String name();

    /** MX records as "preference host.". */
    List<String> mx();

    /** The SPF mechanisms that allow the profile's mail host to send, e.g. {@code include:mailbox.org}. */
    String spfTerms();

    /** The profile's fixed DKIM selectors and their TXT values; none where the domains' own keys are published. */
    Map<String, String> dkim();

    /**
     * True when each domain's own DKIM keys are published (from DkimKeyGenerated and DkimKeyRetired on
     * mailbox.events) instead of fixed ones: the mail host signs with them.
     */
    boolean ownDkimKeys();

    /** The mail host (absolute name) that {@code mail.<domain>} and the SRV records point at. */
    String mailHost();

    /** The profile's SPF "all" term, DMARC and TTL as configured. */
    MailRecordSettings settings();

    /** The final "all" term of the SPF record, e.g. {@code ~all}. */
    default String spfAll() {
        return settings().spfAll();
    }

    /** The DMARC record's value. */
    default String dmarc() {
        return "v=DMARC1; p=" + settings().dmarcPolicy()
                + settings().dmarcReports().map(uri -> "; rua=" + uri).orElse("");
    }

    /** TTL of every provisioned record, of SOA and NS, and the default of a tenant's record. */
    default int ttl() {
        return settings().ttl();
    }

    /** The submission service records, which the profiles publish differently. */
    List<ServiceRecord> submissionServices(ClientSettings clients);

    /** The RFC 6186 service records (name, priority, port), on the client settings' ports. */
    default List<ServiceRecord> services(ClientSettings clients) {
        List<ServiceRecord> services = new ArrayList<>(List.of(
                new ServiceRecord("_imaps._tcp", 0, clients.ssl().imap()),
                new ServiceRecord("_imap._tcp", 10, clients.starttls().imap()),
                new ServiceRecord("_pop3s._tcp", 20, clients.ssl().pop3()),
                new ServiceRecord("_pop3._tcp", 30, clients.starttls().pop3())));
        services.addAll(submissionServices(clients));
        return services;
    }

    record ServiceRecord(String name, int priority, int port) {
    }

    /**
     * Every record the profile gives {@code domain}: MX, SPF, DKIM, DMARC, the CNAME of the client settings'
     * server when it lies inside the domain (as {@code mail.{domain}} does), and the service records.
     */
    default List<ProvidedRecord> records(String domain, ClientSettings clients) {
        List<ProvidedRecord> records = new ArrayList<>();
        mx().forEach(mx -> records.add(new ProvidedRecord("@", "MX", mx)));
        records.add(new ProvidedRecord("@", "TXT", "v=spf1 " + spfTerms() + " " + spfAll()));
        dkim().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(dkim -> records.add(
                new ProvidedRecord(dkim.getKey() + "._domainkey", "TXT", dkim.getValue())));
        records.add(new ProvidedRecord("_dmarc", "TXT", dmarc()));
        String server = clients.server(domain);
        if (server.endsWith("." + domain)) {
            records.add(new ProvidedRecord(server.substring(0, server.length() - domain.length() - 1), "CNAME",
                    mailHost()));
        }
        // The target is the mail host itself: RFC 2782 forbids an alias (such as the CNAME above) as an SRV target.
        for (ServiceRecord service : services(clients)) {
            records.add(new ProvidedRecord(service.name(), "SRV",
                    service.priority() + " 1 " + service.port() + " " + mailHost()));
        }
        return records;
    }

    static String absolute(String host) {
        return host.endsWith(".") ? host : host + ".";
    }
}
