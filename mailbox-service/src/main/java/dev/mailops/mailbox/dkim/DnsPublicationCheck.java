package dev.mailops.mailbox.dkim;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.mailops.mailbox.dns.DnsServer;
import dev.mailops.mailbox.dns.TxtLookup;
import dev.mailops.mailbox.domain.DkimDns;
import dev.mailops.mailbox.domain.DkimKey;

/**
 * Asks every configured authoritative DNS server for the TXT record at
 * {@code <selector>._domainkey.<domain>} ({@link TxtLookup}) and
 * says the key is served only when each of them answers with a record whose p= is exactly the key's.
 * A record is read as DKIM reads it: its character strings joined, then split into tags.
 */
@ApplicationScoped
public class DnsPublicationCheck implements DkimDns {

    private static final Logger LOG = Logger.getLogger(DnsPublicationCheck.class);

    @Inject
    DkimSettings settings;

    @Override
    public boolean serves(DkimKey key) {
        for (DnsServer server : settings.dnsServers()) {
            List<String> found = TxtLookup.txt(server, key.dnsName(), settings.dnsTimeout());
            if (found.stream().map(DnsPublicationCheck::publicKeyOf).noneMatch(key.publicKey()::equals)) {
                LOG.debugf("%s does not serve the key %s at %s yet", server, key.keyId(), key.dnsName());
                return false;
            }
        }
        return true;
    }

    /** The p= tag of a DKIM key record (RFC 6376, 3.6.1), whitespace removed; null when it has none. */
    static String publicKeyOf(String record) {
        for (String tag : record.split(";")) {
            int equals = tag.indexOf('=');
            if (equals > 0 && tag.substring(0, equals).strip().equals("p")) {
                return tag.substring(equals + 1).replaceAll("\\s", "");
            }
        }
        return null;
    }
}
