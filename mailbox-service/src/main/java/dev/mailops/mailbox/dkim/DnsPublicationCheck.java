package dev.mailops.mailbox.dkim;

import java.io.IOException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import dev.mailops.mailbox.domain.DkimDns;
import dev.mailops.mailbox.domain.DkimKey;

/**
 * Asks every configured authoritative DNS server for the TXT record at
 * {@code <selector>._domainkey.<domain>} (over UDP, again over TCP when the answer is truncated) and
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
        for (DkimSettings.DnsServer server : settings.dnsServers()) {
            List<String> found = lookup(server, key.dnsName());
            if (found.stream().map(DnsPublicationCheck::publicKeyOf).noneMatch(key.publicKey()::equals)) {
                LOG.debugf("%s does not serve the key %s at %s yet", server, key.keyId(), key.dnsName());
                return false;
            }
        }
        return true;
    }

    /** The TXT records at the name, each as its joined character strings; empty on any failure. */
    private List<String> lookup(DkimSettings.DnsServer server, String dnsName) {
        try {
            SimpleResolver resolver = new SimpleResolver(server.host());
            resolver.setPort(server.port());
            resolver.setTimeout(settings.dnsTimeout());
            Message response = resolver.send(Message.newQuery(
                    Record.newRecord(Name.fromString(dnsName, Name.root), Type.TXT, DClass.IN)));
            if (response.getRcode() != Rcode.NOERROR) {
                return List.of();
            }
            return response.getSection(Section.ANSWER).stream()
                    .filter(TXTRecord.class::isInstance)
                    .map(record -> String.join("", ((TXTRecord) record).getStrings()))
                    .toList();
        } catch (TextParseException e) {
            throw new IllegalArgumentException("Not a DNS name: " + dnsName, e);
        } catch (IOException e) {
            LOG.debugf("DNS server %s did not answer for %s: %s", server, dnsName, e.getMessage());
            return List.of();
        }
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
