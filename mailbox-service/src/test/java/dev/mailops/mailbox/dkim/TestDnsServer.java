package dev.mailops.mailbox.dkim;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * A small authoritative DNS server for the tests, on UDP and TCP of one port of 127.0.0.1,
 * built from dnsjava's message classes: it answers TXT queries with the values the test serves
 * (split into character strings of at most 255 octets, as dns-service does) and NXDOMAIN for any
 * other name. A UDP answer longer than its limit (512 bytes, as without EDNS, unless set lower) is
 * truncated (TC), so the client has to ask again over TCP.
 */
public final class TestDnsServer implements AutoCloseable {

    /** Without EDNS a UDP answer has at most 512 bytes (RFC 1035). */
    public static final int UDP_LIMIT = 512;

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final int port;
    private final int udpLimit;
    private final Map<String, List<String>> txt = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counters = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    private TestDnsServer(DatagramSocket udp, ServerSocket tcp, int port, int udpLimit) {
        this.udp = udp;
        this.tcp = tcp;
        this.port = port;
        this.udpLimit = udpLimit;
    }

    /** A server on an ephemeral port. */
    public static TestDnsServer start() {
        return start(0, UDP_LIMIT);
    }

    /**
     * A server on the port (UDP and TCP), or an ephemeral one for 0, whose UDP answers are truncated
     * beyond {@code udpLimit} bytes (a smaller limit than 512 stands for a path that drops larger
     * datagrams: even an RSA-2048 key record, which just fits 512, then needs TCP).
     */
    public static TestDnsServer start(int port, int udpLimit) {
        try {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            ServerSocket tcp = new ServerSocket(port, 50, loopback);
            DatagramSocket udp = new DatagramSocket(tcp.getLocalPort(), loopback);
            TestDnsServer server = new TestDnsServer(udp, tcp, tcp.getLocalPort(), udpLimit);
            daemon("test-dns-udp", server::serveUdp);
            daemon("test-dns-tcp", server::serveTcp);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    /** Serves exactly these TXT values at the name from now on (none: the name does not exist). */
    public void serve(String name, String... values) {
        if (values.length == 0) {
            txt.remove(key(name));
        } else {
            txt.put(key(name), List.of(values));
        }
    }

    /** How many queries for the name arrived so far, over either transport. */
    public int queriesFor(String name) {
        return count("name:" + key(name));
    }

    public int tcpQueries() {
        return count("tcp");
    }

    public int udpQueries() {
        return count("udp");
    }

    private int count(String counter) {
        AtomicInteger count = counters.get(counter);
        return count == null ? 0 : count.get();
    }

    private void increment(String counter) {
        counters.computeIfAbsent(counter, c -> new AtomicInteger()).incrementAndGet();
    }

    private static String key(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    Message answer(Message query) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        Record question = query.getQuestion();
        response.addRecord(question, Section.QUESTION);
        String name = key(question.getName().toString());
        increment("name:" + name);
        List<String> values = txt.get(name);
        if (values == null) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
        } else if (question.getType() == Type.TXT) {
            for (String value : values) {
                response.addRecord(new TXTRecord(question.getName(), DClass.IN, 60, split(value)), Section.ANSWER);
            }
        }
        return response;
    }

    private static List<String> split(String value) {
        List<String> strings = new ArrayList<>();
        for (int start = 0; start < value.length(); start += 255) {
            strings.add(value.substring(start, Math.min(value.length(), start + 255)));
        }
        return strings;
    }

    private void serveUdp() {
        byte[] buffer = new byte[4096];
        while (running) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                increment("udp");
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                byte[] answer = answer(query).toWire(udpLimit);
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
                daemon("test-dns-tcp-connection", () -> serveConnection(connection));
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
                increment("tcp");
                byte[] answer = answer(new Message(query)).toWire();
                out.writeShort(answer.length);
                out.write(answer);
                out.flush();
            }
        } catch (IOException | RuntimeException ended) {
            // The client closed the connection.
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
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
