package dev.mailops.dns;

import static dev.mailops.dns.DnsFixture.WAIT;
import static dev.mailops.dns.DnsFixture.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.HINFORecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.dns.server.AuthoritativeServer;
import dev.mailops.testinfra.MailboxEventsFixture;

/**
 * The doors of the authoritative DNS server and of the zones it serves, each tried against the running
 * server over real UDP and TCP sockets (loopback sources of other networks stand for other clients):
 * ANY, large EDNS sizes, floods, slow and too many TCP clients, oversized zones and record pages.
 * Limits in %test of application.properties: 40 TCP connections, 8 per client, 2 s idle and read
 * timeouts, 30 records and 6000 bytes of TXT per zone; RRL as in production (50 a second, slip 2).
 */
@QuarkusTest
class DnsServerSecurityTest {

    static final int UDP_CAP = 1232;
    static MailboxEventsFixture events;

    @Inject
    AuthoritativeServer server;
    @Inject
    MeterRegistry meters;

    @BeforeAll
    static void producer() {
        events = MailboxEventsFixture.forConsumedTopic();
    }

    @AfterAll
    static void close() {
        events.close();
    }

    record Zone(String tenant, String domain) {
        String records() {
            return "/api/v1/domains/" + domain + "/records";
        }
    }

    static Zone provisioned() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 13);
        String domain = "sec-" + UUID.randomUUID().toString().substring(0, 8) + ".de";
        DnsFixture.provision(events, tenant, domain);
        return new Zone(tenant, domain);
    }

    /** A zone whose name {@code big} holds three TXT records of 600 bytes: over 1232 bytes in one answer. */
    static Zone withLargeAnswer() {
        Zone zone = provisioned();
        for (char c : List.of('a', 'b', 'c')) {
            as(zone.tenant(), "admin").body(Map.of("source", "big", "type", "TXT", "value", String.valueOf(c).repeat(600)))
                    .post(zone.records()).then().statusCode(201);
        }
        return zone;
    }

    static Message query(String name, int type) throws IOException {
        return Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN));
    }

    static Message ednsQuery(String name, int type, int payloadSize) throws IOException {
        Message query = query(name, type);
        query.addRecord(new OPTRecord(payloadSize, 0, 0), Section.ADDITIONAL);
        return query;
    }

    /** The answer's bytes over UDP from the given source address, or null when none came. */
    byte[] udp(String source, Message query) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(source, 0))) {
            socket.setSoTimeout(5000);
            byte[] wire = query.toWire();
            socket.send(new DatagramPacket(wire, wire.length, InetAddress.getLoopbackAddress(), server.port()));
            DatagramPacket answer = new DatagramPacket(new byte[65535], 65535);
            socket.receive(answer);
            return Arrays.copyOf(answer.getData(), answer.getLength());
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    Socket tcp(String source) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(source, 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
        socket.setSoTimeout(5000);
        return socket;
    }

    static void send(Socket socket, byte[] wire) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(new byte[] {(byte) (wire.length >>> 8), (byte) wire.length});
        out.write(wire);
        out.flush();
    }

    /** The next answer on the connection, or null when the server closed it. */
    static Message receive(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int first = in.read();
        if (first < 0) {
            return null;
        }
        byte[] answer = new byte[(first << 8) | in.readUnsignedByte()];
        in.readFully(answer);
        return new Message(answer);
    }

    /** Whether the query is answered on the connection; false when the server closed or reset it. */
    static boolean answered(Socket socket, byte[] wire) {
        try {
            send(socket, wire);
            return receive(socket) != null;
        } catch (IOException closed) {
            return false;
        }
    }

    /** Whether the server has closed the connection (end of stream or reset), without waiting for it. */
    static boolean closedByServer(Socket socket) {
        try {
            socket.setSoTimeout(50);
            InputStream in = socket.getInputStream();
            return in.read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    double counted(String name, String tag, String value) {
        Counter counter = meters.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void anyIsAnsweredMinimallyWithOneSynthesizedHinfo() throws Exception {
        Zone zone = provisioned();
        Message overUdp = new Message(udp("127.0.20.1", ednsQuery(zone.domain(), Type.ANY, 4096)));
        Message overTcp = DnsFixture.query(server.port(), zone.domain(), Type.ANY, true);

        for (Message answer : List.of(overUdp, overTcp)) {
            assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(answer.getSection(Section.ANSWER)).singleElement().isInstanceOfSatisfying(HINFORecord.class,
                    hinfo -> assertThat(hinfo.getCPU()).isEqualTo("RFC8482"));
        }
        // the apex holds SOA, NS, MX and TXT, none of which ANY hands out
        assertThat(DnsFixture.query(server.port(), zone.domain(), Type.MX, true).getSection(Section.ANSWER)).hasSize(3);
    }

    @Test
    void aLargeEdnsSizeGetsAtMost1232BytesWithTcAndTheFullAnswerOverTcp() throws Exception {
        Zone zone = withLargeAnswer();
        String big = "big." + zone.domain();
        await().atMost(WAIT).until(() -> DnsFixture.query(server.port(), big, Type.TXT, true)
                .getSection(Section.ANSWER).size() == 3);

        byte[] capped = udp("127.0.21.1", ednsQuery(big, Type.TXT, 65_000));
        assertThat(capped.length).isLessThanOrEqualTo(UDP_CAP);
        assertThat(new Message(capped).getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(new Message(capped).getOPT().getPayloadSize()).isEqualTo(UDP_CAP);

        byte[] withoutEdns = udp("127.0.21.1", query(big, Type.TXT));
        assertThat(withoutEdns.length).isLessThanOrEqualTo(512);
        assertThat(new Message(withoutEdns).getHeader().getFlag(Flags.TC)).isTrue();

        try (Socket socket = tcp("127.0.21.1")) {
            send(socket, ednsQuery(big, Type.TXT, 65_000).toWire());
            Message full = receive(socket);
            assertThat(full.getHeader().getFlag(Flags.TC)).isFalse();
            assertThat(full.getSection(Section.ANSWER)).hasSize(3);
            assertThat(full.toWire().length).isGreaterThan(UDP_CAP);
        }
    }

    @Test
    void aFloodFromOneNetworkIsRateLimitedWhileAnotherNetworkIsAnswered() throws Exception {
        Zone zone = provisioned();
        double droppedBefore = counted("dns.rrl.limited", "action", "dropped");
        double slippedBefore = counted("dns.rrl.limited", "action", "slipped");
        int flood = 300;
        int answered = 0;
        int slipped = 0;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.26.1", 0))) {
            for (int i = 0; i < flood; i++) {
                byte[] wire = query(zone.domain(), Type.SOA).toWire();
                socket.send(new DatagramPacket(wire, wire.length, InetAddress.getLoopbackAddress(), server.port()));
            }
            socket.setSoTimeout(1000);
            try {
                while (true) {
                    DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
                    socket.receive(packet);
                    Message answer = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                    if (answer.getHeader().getFlag(Flags.TC)) {
                        assertThat(answer.getSection(Section.ANSWER)).isEmpty();
                        slipped++;
                    } else {
                        answered++;
                    }
                }
            } catch (SocketTimeoutException noMore) {
                // every answer that was sent has come
            }
        }
        Message otherNetwork = new Message(udp("127.0.27.1", query(zone.domain(), Type.SOA)));

        assertThat(answered).as("answered of %d", flood).isLessThan(flood / 2);
        assertThat(slipped).as("truncated, so real clients retry over TCP").isPositive();
        assertThat(answered + slipped).as("some dropped").isLessThan(flood);
        assertThat(counted("dns.rrl.limited", "action", "dropped")).isGreaterThan(droppedBefore);
        assertThat(counted("dns.rrl.limited", "action", "slipped")).isGreaterThanOrEqualTo(slippedBefore + slipped);
        assertThat(otherNetwork.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(otherNetwork.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.SOA);
        // TCP is not rate limited: the flooded network's real clients still get their answers there
        try (Socket socket = tcp("127.0.26.2")) {
            send(socket, query(zone.domain(), Type.SOA).toWire());
            assertThat(receive(socket).getSection(Section.ANSWER)).hasSize(1);
        }
    }

    @Test
    void twentySlowTcpClientsDoNotStarveAnAnsweringOne() throws Exception {
        Zone zone = provisioned();
        byte[] wire = query(zone.domain(), Type.SOA).toWire();
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 1; i <= 20; i++) {
                Socket socket = tcp("127.0.22." + i);
                // the length and the first bytes of a query, the rest held back
                socket.getOutputStream().write(new byte[] {0, (byte) wire.length, wire[0], wire[1], wire[2]});
                socket.getOutputStream().flush();
                slow.add(socket);
            }

            Message answered = DnsFixture.query(server.port(), zone.domain(), Type.SOA, true);
            assertThat(answered.getSection(Section.ANSWER)).hasSize(1);

            // the slow ones were held open all along, and are answered once their queries are complete
            for (Socket socket : slow) {
                socket.getOutputStream().write(wire, 3, wire.length - 3);
                socket.getOutputStream().flush();
                assertThat(receive(socket).getSection(Section.ANSWER)).hasSize(1);
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void aTcpClientTricklingAQueryIsDroppedAtTheReadTimeout() throws Exception {
        double before = counted("dns.tcp.closed", "reason", "read-timeout");
        byte[] wire = query("anything.example", Type.A).toWire();
        try (Socket socket = tcp("127.0.23.1")) {
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {0, (byte) wire.length});
            int[] sent = {0};
            // a byte every quarter second keeps any idle timer alive; only the query's own deadline ends it
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() -> {
                try {
                    out.write(wire[sent[0]++ % wire.length]);
                    out.flush();
                } catch (IOException closed) {
                    return true;
                }
                return closedByServer(socket);
            });
            assertThat(sent[0]).as("bytes trickled, fewer than the query").isLessThan(wire.length);
        }
        assertThat(counted("dns.tcp.closed", "reason", "read-timeout")).isGreaterThan(before);
    }

    @Test
    void anIdleTcpConnectionIsClosed() throws Exception {
        double before = counted("dns.tcp.closed", "reason", "idle");
        try (Socket socket = tcp("127.0.23.2")) {
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> closedByServer(socket));
        }
        assertThat(counted("dns.tcp.closed", "reason", "idle")).isGreaterThan(before);
    }

    @Test
    void tcpConnectionsBeyondTheLimitPerClientAndInAllAreRefused() throws Exception {
        Zone zone = provisioned();
        byte[] wire = query(zone.domain(), Type.SOA).toWire();
        List<Socket> open = new ArrayList<>();
        try {
            // per client: 8 are served, the 9th from the same address is closed at once
            for (int i = 0; i < 8; i++) {
                Socket socket = tcp("127.0.24.1");
                open.add(socket);
                assertThat(answered(socket, wire)).as("connection %d", i + 1).isTrue();
            }
            try (Socket ninth = tcp("127.0.24.1")) {
                assertThat(answered(ninth, wire)).isFalse();
            }
            assertThat(counted("dns.tcp.refused", "limit", "per-client")).isPositive();

            // in all: from other addresses, up to 40 connections, and then no more
            int accepted = open.size();
            boolean refused = false;
            for (int i = 0; i < 40 && !refused; i++) {
                Socket socket = tcp("127.0.25." + (1 + i / 7));
                open.add(socket);
                if (!answered(socket, wire)) {
                    refused = true;
                } else {
                    accepted++;
                }
            }
            assertThat(refused).isTrue();
            assertThat(accepted).isLessThanOrEqualTo(40);
            assertThat(counted("dns.tcp.refused", "limit", "total")).isPositive();
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
        }
        // closed connections free their places
        await().atMost(WAIT).untilAsserted(() -> {
            try (Socket socket = tcp("127.0.24.1")) {
                assertThat(answered(socket, wire)).isTrue();
            }
        });
    }

    @Test
    void aZoneHoldsNoMoreRecordsThanItsLimit() {
        Zone zone = provisioned();
        long held = as(zone.tenant(), "user").get(zone.records()).then().statusCode(200).extract().jsonPath()
                .getLong("totalItems");
        for (long i = held; i < 30; i++) {
            as(zone.tenant(), "admin").body(Map.of("source", "h" + i, "type", "A", "value", "192.0.2.1"))
                    .post(zone.records()).then().statusCode(201);
        }
        as(zone.tenant(), "admin").body(Map.of("source", "one-more", "type", "A", "value", "192.0.2.1"))
                .post(zone.records()).then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("/problems/zone-record-limit"))
                .body("detail", containsString("the most a zone may hold is 30"));
    }

    @Test
    void aZoneHoldsNoMoreTxtDataThanItsLimit() {
        Zone zone = provisioned();
        // the provider's TXT records are about 870 bytes (two DKIM keys, SPF, DMARC); the limit is 6000
        for (int i = 0; i < 2; i++) {
            as(zone.tenant(), "admin").body(Map.of("source", "t" + i, "type", "TXT", "value", "x".repeat(2000)))
                    .post(zone.records()).then().statusCode(201);
        }
        as(zone.tenant(), "admin").body(Map.of("source", "t2", "type", "TXT", "value", "x".repeat(2000)))
                .post(zone.records()).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", contains("value"))
                .body("errors[0].message", containsString("above the limit of 6000 bytes per zone"));
        as(zone.tenant(), "admin").body(Map.of("source", "t2", "type", "TXT", "value", "short"))
                .post(zone.records()).then().statusCode(201);
    }

    @Test
    void recordPagesAreBoundedAndTheirArithmeticCannotOverflow() {
        Zone zone = provisioned();
        var all = as(zone.tenant(), "user").get(zone.records()).then().statusCode(200).extract().jsonPath();
        int total = all.getInt("totalItems");
        assertThat(all.getList("records")).hasSize(total);

        as(zone.tenant(), "user").queryParam("size", 5).queryParam("page", 1).get(zone.records()).then()
                .statusCode(200).body("records", hasSize(5)).body("page", equalTo(1)).body("size", equalTo(5))
                .body("totalPages", equalTo((total + 4) / 5))
                .body("records[0].id", equalTo(all.getInt("records[5].id")));
        for (String[] bad : List.of(new String[] {"size", "0"}, new String[] {"size", "501"},
                new String[] {"size", "99999999999999999999"}, new String[] {"page", "-1"},
                new String[] {"page", "2147483647"}, new String[] {"page", "x"})) {
            as(zone.tenant(), "user").queryParam(bad[0], bad[1]).get(zone.records()).then()
                    .statusCode(400).contentType("application/problem+json").body("errors.field", contains(bad[0]));
        }
    }

    /**
     * The amplification figures of docs/security.md ("Amplification"): for each query type, over UDP with an EDNS size
     * of 4096, the largest answer of the zone (the provider profile's records, and a tenant's A, AAAA,
     * CAA, a 1100-byte TXT record at a one-letter name and three 600-byte TXT records at another) divided
     * by its query. Written to
     * target/dns-amplification.md; the test holds every UDP answer to the cap.
     */
    @Test
    void theAmplificationOfEveryQueryTypeIsBoundedByTheUdpCap() throws Exception {
        Zone zone = withLargeAnswer();
        for (Map<String, Object> record : List.<Map<String, Object>>of(
                Map.of("source", "www", "type", "A", "value", "192.0.2.10"),
                Map.of("source", "www", "type", "AAAA", "value", "2001:db8::10"),
                Map.of("source", "@", "type", "CAA", "value", "0 issue \"letsencrypt.org\""),
                // the largest TXT record set that still fits the cap, at the shortest name: the worst a tenant can build
                Map.of("source", "w", "type", "TXT", "value", "w".repeat(1100)))) {
            as(zone.tenant(), "admin").body(record).post(zone.records()).then().statusCode(201);
        }
        List<String> names = as(zone.tenant(), "user").get(zone.records()).then().statusCode(200).extract()
                .jsonPath().getList("records.fqdn", String.class).stream().distinct().toList();
        await().atMost(WAIT).until(() -> DnsFixture.query(server.port(), "www." + zone.domain(), Type.AAAA, true)
                .getSection(Section.ANSWER).size() == 1);

        Map<String, Integer> types = new LinkedHashMap<>();
        for (String type : List.of("A", "AAAA", "MX", "TXT", "NS", "SOA", "ANY", "CAA", "SRV", "DNSKEY")) {
            types.put(type, Type.value(type));
        }
        StringBuilder table = new StringBuilder(
                "| Query type | Name (largest answer) | Query bytes | UDP answer bytes | Factor | TC | Answer over TCP, bytes |\n"
                        + "|---|---|---:|---:|---:|---|---:|\n");
        int network = 30;
        for (Map.Entry<String, Integer> type : types.entrySet()) {
            String source = "127.0." + network++ + ".1";
            table.append(largest(type.getKey(), type.getValue(), names, zone.domain(), source));
        }
        table.append(largest("TXT (over the cap)", Type.TXT, List.of("big." + zone.domain() + "."), zone.domain(),
                "127.0." + network++ + ".1"));
        table.append(largest("TXT (DKIM key)", Type.TXT, List.of("mbo0001._domainkey." + zone.domain() + "."),
                zone.domain(), "127.0." + network + ".1"));
        System.out.println("DNS amplification over UDP, EDNS 4096:\n" + table);
        Files.writeString(Path.of("target", "dns-amplification.md"), table);
    }

    private String largest(String label, int type, List<String> names, String domain, String source) throws Exception {
        String best = null;
        int bestQuery = 0;
        byte[] bestAnswer = new byte[0];
        for (String fqdn : names) {
            String name = fqdn.substring(0, fqdn.length() - 1);
            Message query = ednsQuery(name, type, 4096);
            byte[] answer = udp(source, query);
            assertThat(answer).as("%s %s", label, name).isNotNull();
            assertThat(answer.length).as("%s %s", label, name).isLessThanOrEqualTo(UDP_CAP);
            int querySize = query.toWire().length;
            if (best == null || (double) answer.length / querySize > (double) bestAnswer.length / bestQuery) {
                best = name;
                bestQuery = querySize;
                bestAnswer = answer;
            }
        }
        int tcpAnswer;
        try (Socket socket = tcp(source)) {
            send(socket, ednsQuery(best, type, 4096).toWire());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            tcpAnswer = in.readUnsignedShort();
        }
        String shown = best.equals(domain) ? "apex" : best.substring(0, best.length() - domain.length() - 1);
        return String.format("| %s | %s | %d | %d | %.1f | %s | %d |%n", label, shown, bestQuery, bestAnswer.length,
                (double) bestAnswer.length / bestQuery, new Message(bestAnswer).getHeader().getFlag(Flags.TC) ? "yes" : "no",
                tcpAnswer);
    }
}
