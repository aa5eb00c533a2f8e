package dev.mailops.gateway;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The DNS server at which a tenant "creates" its proof record: a real server (UDP and TCP on one port of
 * 127.0.0.1, dnsjava's messages) in the test JVM, which answers the TXT records a test serves and NXDOMAIN
 * for any other name. mailbox-service of the DKIM set asks it as its only domain-verification resolver, so
 * a domain is verified exactly when a test has published its record here.
 */
final class ProofDns implements AutoCloseable {

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Map<String, String> txt = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    private ProofDns(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
    }

    static ProofDns start() {
        try {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            ServerSocket tcp = new ServerSocket(0, 50, loopback);
            ProofDns server = new ProofDns(new DatagramSocket(tcp.getLocalPort(), loopback), tcp);
            daemon(server::serveUdp);
            daemon(server::serveTcp);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:<port>}, as mailbox-service's resolver setting takes it. */
    String address() {
        return "127.0.0.1:" + tcp.getLocalPort();
    }

    /** Serves the TXT record from now on, as the tenant's DNS provider would once the record is created. */
    void serve(String name, String value) {
        txt.put(key(name), value);
    }

    private static String key(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private Message answer(Message query) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        Record question = query.getQuestion();
        response.addRecord(question, Section.QUESTION);
        String value = txt.get(key(question.getName().toString()));
        if (value == null) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
        } else if (question.getType() == Type.TXT) {
            response.addRecord(new TXTRecord(question.getName(), DClass.IN, 5, value), Section.ANSWER);
        }
        return response;
    }

    private void serveUdp() {
        byte[] buffer = new byte[4096];
        while (running) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                byte[] answer = answer(new Message(Arrays.copyOf(packet.getData(), packet.getLength()))).toWire(512);
                udp.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
            } catch (IOException | RuntimeException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    private void serveTcp() {
        while (running) {
            try {
                Socket connection = tcp.accept();
                daemon(() -> serveConnection(connection));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serveConnection(Socket connection) {
        try (connection) {
            DataInputStream in = new DataInputStream(connection.getInputStream());
            DataOutputStream out = new DataOutputStream(connection.getOutputStream());
            while (running) {
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                byte[] answer = answer(new Message(query)).toWire();
                out.writeShort(answer.length);
                out.write(answer);
                out.flush();
            }
        } catch (IOException | RuntimeException ended) {
            // the client closed the connection
        }
    }

    private static void daemon(Runnable task) {
        Thread thread = new Thread(task, "proof-dns");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        running = false;
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
