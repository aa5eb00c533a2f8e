package dev.mailops.dns.server;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * An authoritative DNS server for the tenants' zones on UDP and TCP (RFC 1035, RFC 7766), answering
 * from {@link ZoneCache}: the records asked for, a CNAME in their place, NODATA (no records of that
 * type, SOA in the authority section) or NXDOMAIN (no such name), and REFUSED outside its zones.
 * UDP answers that do not fit are truncated (TC) so the client retries over TCP.
 */
@ApplicationScoped
public class AuthoritativeServer {

    private static final Logger LOG = Logger.getLogger(AuthoritativeServer.class);
    private static final int UDP_DEFAULT_SIZE = 512;

    @Inject
    ZoneCache cache;
    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "dns.server.host", defaultValue = "127.0.0.1")
    String host;

    @ConfigProperty(name = "dns.server.port", defaultValue = "10053")
    int configuredPort;

    private DatagramSocket udp;
    private ServerSocket tcp;
    private ExecutorService workers;
    private volatile boolean running;

    void start(@Observes StartupEvent event) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        tcp = new ServerSocket(configuredPort, 50, address);
        udp = new DatagramSocket(tcp.getLocalPort(), address); // same port on both, also when it was 0
        running = true;
        workers = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "dns-tcp");
            thread.setDaemon(true);
            return thread;
        });
        Thread udpLoop = new Thread(this::serveUdp, "dns-udp");
        udpLoop.setDaemon(true);
        udpLoop.start();
        Thread tcpLoop = new Thread(this::serveTcp, "dns-tcp-accept");
        tcpLoop.setDaemon(true);
        tcpLoop.start();
        cache.refresh();
        LOG.infof("Authoritative DNS server listening on %s port %d (UDP and TCP)", host, port());
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (udp != null) {
            udp.close();
        }
        try {
            if (tcp != null) {
                tcp.close();
            }
        } catch (IOException e) {
            LOG.debug("Closing the TCP socket failed", e);
        }
        if (workers != null) {
            workers.shutdownNow();
        }
    }

    public int port() {
        return tcp.getLocalPort();
    }

    private void serveUdp() {
        byte[] buffer = new byte[4096];
        while (running) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                byte[] query = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
                Message request = new Message(query);
                OPTRecord opt = request.getOPT();
                int maxSize = opt == null ? UDP_DEFAULT_SIZE : Math.max(UDP_DEFAULT_SIZE, opt.getPayloadSize());
                byte[] answer = answer(request, "udp").toWire(maxSize);
                udp.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
            } catch (SocketException closed) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.debugf(e, "Dropped a malformed UDP query");
            }
        }
    }

    private void serveTcp() {
        while (running) {
            try {
                Socket connection = tcp.accept();
                workers.execute(() -> serveConnection(connection));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serveConnection(Socket connection) {
        try (connection) {
            connection.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(connection.getInputStream());
            DataOutputStream out = new DataOutputStream(connection.getOutputStream());
            while (running) {
                int length = in.readUnsignedShort();
                byte[] query = new byte[length];
                in.readFully(query);
                byte[] answer = answer(new Message(query), "tcp").toWire();
                out.writeShort(answer.length);
                out.write(answer);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            LOG.tracef("TCP connection ended: %s", e.getMessage());
        }
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
            response.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        }
        ZoneCache.ServedZone zone = cache.zoneFor(question.getName());
        if (zone == null) {
            response.getHeader().setRcode(Rcode.REFUSED);
            return count(response, transport, "REFUSED");
        }
        response.getHeader().setFlag(Flags.AA);
        Name name = question.getName();
        int type = question.getType();
        List<Record> atName = zone.byName().get(name);
        if (atName == null) {
            boolean hasDescendants = zone.byName().keySet().stream().anyMatch(n -> n.subdomain(name));
            response.getHeader().setRcode(hasDescendants ? Rcode.NOERROR : Rcode.NXDOMAIN);
            addSoa(response, zone);
            return count(response, transport, hasDescendants ? "NODATA" : "NXDOMAIN");
        }
        List<Record> matching = atName.stream().filter(r -> type == Type.ANY || r.getType() == type).toList();
        if (matching.isEmpty()) {
            matching = atName.stream().filter(r -> r.getType() == Type.CNAME).toList();
        }
        if (matching.isEmpty()) {
            addSoa(response, zone);
            return count(response, transport, "NODATA");
        }
        matching.forEach(record -> response.addRecord(record, Section.ANSWER));
        return count(response, transport, "ANSWER");
    }

    private static void addSoa(Message response, ZoneCache.ServedZone zone) {
        zone.byName().get(zone.origin()).stream().filter(r -> r.getType() == Type.SOA)
                .forEach(soa -> response.addRecord(soa, Section.AUTHORITY));
    }

    private Message count(Message response, String transport, String outcome) {
        meters.counter("dns.queries", "transport", transport, "outcome", outcome).increment();
        return response;
    }
}
