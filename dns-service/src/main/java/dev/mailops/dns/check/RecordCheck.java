package dev.mailops.dns.check;

import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Resolves every record a zone should have through a configurable resolver (the public DNS in
 * production; this service's own server by default) and reports, per record, what was expected,
 * what was found, and whether they match — the DNS check page of mail hosting panels.
 */
@ApplicationScoped
public class RecordCheck {

    public enum Status {
        OK, MISSING, MISMATCH, ERROR
    }

    public record Result(String name, String type, String expected, List<String> found, Status status) {
    }

    @ConfigProperty(name = "dns.check.resolver", defaultValue = "127.0.0.1")
    String resolverHost;

    /** Port of the resolver; by default the port of this service's own DNS server. */
    @ConfigProperty(name = "dns.check.resolver-port")
    java.util.Optional<Integer> resolverPort;

    @ConfigProperty(name = "dns.check.timeout", defaultValue = "PT3S")
    Duration timeout;

    public List<Result> check(List<Record> expected, int ownServerPort) {
        SimpleResolver resolver;
        try {
            resolver = new SimpleResolver(resolverHost);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("Unknown resolver " + resolverHost, e);
        }
        resolver.setPort(resolverPort.orElse(ownServerPort));
        resolver.setTimeout(timeout);
        List<Result> results = new ArrayList<>();
        for (Record record : expected) {
            if (record.getType() == Type.SOA) {
                continue; // the serial changes with every edit; SOA presence is covered by NS
            }
            String want = record.rdataToString();
            try {
                Set<String> found = lookup(resolver, record.getName(), record.getType());
                Status status = found.contains(want) ? Status.OK : found.isEmpty() ? Status.MISSING : Status.MISMATCH;
                results.add(new Result(record.getName().toString(), Type.string(record.getType()), want,
                        List.copyOf(found), status));
            } catch (IOException e) {
                results.add(new Result(record.getName().toString(), Type.string(record.getType()), want, List.of(),
                        Status.ERROR));
            }
        }
        return results;
    }

    private static Set<String> lookup(SimpleResolver resolver, Name name, int type) throws IOException {
        Message response = resolver.send(Message.newQuery(Record.newRecord(name, type, org.xbill.DNS.DClass.IN)));
        Set<String> found = new TreeSet<>();
        if (response.getRcode() == Rcode.NOERROR) {
            for (Record answer : response.getSection(Section.ANSWER)) {
                if (answer.getType() == type) {
                    found.add(answer.rdataToString());
                }
            }
        }
        return found;
    }
}
