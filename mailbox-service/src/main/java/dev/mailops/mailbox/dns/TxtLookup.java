package dev.mailops.mailbox.dns;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

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

/**
 * Asks one DNS server for the TXT records at a name (over UDP, again over TCP when the answer is
 * truncated) and reads each as its character strings joined, as DKIM and the ownership proof read
 * them. The one DNS client of the service: the DKIM publication check and the domain verification.
 */
public final class TxtLookup {

    private static final Logger LOG = Logger.getLogger(TxtLookup.class);

    private TxtLookup() {
    }

    /** The TXT records at the name; empty when it has none, the server does not answer or answers an error. */
    public static List<String> txt(DnsServer server, String name, Duration timeout) {
        try {
            SimpleResolver resolver = new SimpleResolver(server.host());
            resolver.setPort(server.port());
            resolver.setTimeout(timeout);
            Message query = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), Type.TXT, DClass.IN));
            Message response = resolver.send(query);
            if (response.getRcode() != Rcode.NOERROR) {
                return List.of();
            }
            return response.getSection(Section.ANSWER).stream()
                    .filter(TXTRecord.class::isInstance)
                    .map(record -> String.join("", ((TXTRecord) record).getStrings()))
                    .toList();
        } catch (TextParseException e) {
            throw new IllegalArgumentException("Not a DNS name: " + name, e);
        } catch (IOException e) {
            LOG.debugf("DNS server %s did not answer for %s: %s", server, name, e.getMessage());
            return List.of();
        }
    }
}
