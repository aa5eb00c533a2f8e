package dev.mailops.dns.server;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.HINFORecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The answer to one query, from {@link ZoneCache}: the records asked for, a CNAME in their place,
 * NODATA (no records of that type, SOA in the authority section) or NXDOMAIN (no such name), and
 * REFUSED outside its zones. ANY is answered minimally (RFC 8482), with one synthesized HINFO record,
 * so it cannot be used to fetch every record set of a name at once.
 */
@ApplicationScoped
public class QueryAnswers {

    /** RFC 8482 section 4.2: the synthesized HINFO's CPU field, its OS field empty. */
    static final String RFC8482_CPU = "RFC8482";
    private static final long RFC8482_TTL = 3600;
    private static final int UDP_WITHOUT_EDNS = 512;

    @Inject
    ZoneCache cache;
    @Inject
    MeterRegistry meters;
    @Inject
    ServerLimits limits;

    /**
     * The answer in wire format for UDP: at most 512 bytes without EDNS, and at most the configured
     * maximum (1232) whatever larger size the client advertises. dnsjava's {@link Message#toWire(int)}
     * drops the record sets that do not fit and sets TC, so the client retries over TCP.
     */
    byte[] udpWire(Message request, Message response) {
        OPTRecord opt = request.getOPT();
        int maxSize = opt == null ? UDP_WITHOUT_EDNS
                : Math.min(limits.udp().maxSize(), Math.max(UDP_WITHOUT_EDNS, opt.getPayloadSize()));
        return response.toWire(maxSize);
    }

    /** A rate-limited client's answer (the "slip"): header and question only, with TC, so it retries over TCP. */
    static Message truncated(Message request) {
        Message response = new Message(request.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.TC);
        if (request.getQuestion() != null) {
            response.addRecord(request.getQuestion(), Section.QUESTION);
        }
        return response;
    }

    Message answer(Message request, String transport) {
        Message response = new Message(request.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        if (request.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        Record question = request.getQuestion();
        if (question == null || request.getHeader().getOpcode() != Opcode.QUERY) {
            response.getHeader().setRcode(Rcode.NOTIMP);
            return count(response, transport, "NOTIMP");
        }
        response.addRecord(question, Section.QUESTION);
        if (request.getOPT() != null) {
            // the size this server accepts over UDP, which is also the most it sends
            response.addRecord(new OPTRecord(limits.udp().maxSize(), 0, 0), Section.ADDITIONAL);
        }
        ZoneCache.ServedZone zone = cache.zoneFor(question.getName());
        if (zone == null) {
            response.getHeader().setRcode(Rcode.REFUSED);
            return count(response, transport, "REFUSED");
        }
        response.getHeader().setFlag(Flags.AA);
        Name name = question.getName();
        int type = question.getType();
        Map<Name, List<Record>> byName = zone.byName();
        List<Record> atName = byName.get(name);
        if (atName == null) {
            boolean hasDescendants = byName.keySet().stream().anyMatch(n -> n.subdomain(name));
            response.getHeader().setRcode(hasDescendants ? Rcode.NOERROR : Rcode.NXDOMAIN);
            addSoa(response, zone.origin(), byName);
            return count(response, transport, hasDescendants ? "NODATA" : "NXDOMAIN");
        }
        if (type == Type.ANY) {
            response.addRecord(new HINFORecord(name, DClass.IN, RFC8482_TTL, RFC8482_CPU, ""), Section.ANSWER);
            return count(response, transport, "ANSWER");
        }
        List<Record> matching = atName.stream().filter(r -> r.getType() == type).toList();
        if (matching.isEmpty()) {
            matching = atName.stream().filter(r -> r.getType() == Type.CNAME).toList();
        }
        if (matching.isEmpty()) {
            addSoa(response, zone.origin(), byName);
            return count(response, transport, "NODATA");
        }
        matching.forEach(record -> response.addRecord(record, Section.ANSWER));
        return count(response, transport, "ANSWER");
    }

    private static void addSoa(Message response, Name origin, Map<Name, List<Record>> byName) {
        byName.get(origin).stream().filter(r -> r.getType() == Type.SOA)
                .forEach(soa -> response.addRecord(soa, Section.AUTHORITY));
    }

    private Message count(Message response, String transport, String outcome) {
        meters.counter("dns.queries", "transport", transport, "outcome", outcome).increment();
        return response;
    }
}
