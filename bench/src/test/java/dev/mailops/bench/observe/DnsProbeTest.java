package dev.mailops.bench.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Section;

/** The probe against a real DNS server over UDP, one that answers each domain only from a given time on. */
class DnsProbeTest {

    final Map<Name, Instant> answeredFrom = new ConcurrentHashMap<>();
    final DatagramSocket socket;
    final Thread server;

    DnsProbeTest() throws SocketException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        server = new Thread(this::serve, "test-dns");
        server.setDaemon(true);
        server.start();
    }

    @AfterEach
    void stop() {
        socket.close();
    }

    @Test
    void aDomainThatIsSlowToAnswerDelaysNoOtherDomainsMeasurement() {
        Instant sent = Instant.now();
        try (DnsProbe probe = new DnsProbe(socket.getLocalPort())) {
            // More slow domains than the probe has threads, then quick ones.
            for (int i = 0; i < 8; i++) {
                answerFrom("slow" + i + ".test", sent.plusMillis(1500));
                probe.watch("slow" + i + ".test", sent);
            }
            for (int i = 0; i < 8; i++) {
                answerFrom("quick" + i + ".test", sent.plusMillis(200));
                probe.watch("quick" + i + ".test", sent);
            }
            Histogram latencies = probe.finish();

            assertThat(latencies.getTotalCount()).isEqualTo(16);
            assertThat(probe.unanswered()).isZero();
            assertThat(latencies.getValueAtPercentile(50)).as("the quick half, measured as quick")
                    .isBetween(200L, 400L);
            assertThat(latencies.getMaxValue()).as("the slow ones, within 5 % and the poll's own time")
                    .isBetween(1500L, 1700L);
        }
    }

    @Test
    void aDomainIsAskedAgainAfterATwentiethOfItsWaitWithinBounds() {
        assertThat(DnsProbe.nextQueryAfterMillis(Duration.ZERO)).isEqualTo(10);
        assertThat(DnsProbe.nextQueryAfterMillis(Duration.ofMillis(1000))).isEqualTo(50);
        assertThat(DnsProbe.nextQueryAfterMillis(Duration.ofSeconds(20))).isEqualTo(250);
    }

    private void answerFrom(String domain, Instant from) {
        answeredFrom.put(Name.fromConstantString(domain + "."), from);
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Message response = new Message(query.getHeader().getID());
                response.getHeader().setFlag(org.xbill.DNS.Flags.QR);
                response.getHeader().setFlag(org.xbill.DNS.Flags.AA);
                Name name = query.getQuestion().getName();
                response.addRecord(query.getQuestion(), Section.QUESTION);
                Instant from = answeredFrom.get(name);
                if (from != null && !Instant.now().isBefore(from)) {
                    response.addRecord(new MXRecord(name, DClass.IN, 60, 10, Name.fromConstantString("mail.test.")),
                            Section.ANSWER);
                }
                byte[] wire = response.toWire();
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (IOException closedOrBad) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }
}
