package dev.mailops.testinfra;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A tiny authoritative DNS server for one test, on an ephemeral UDP port of 127.0.0.1: it answers TXT
 * queries for the names it was given (each value as several character strings) and NXDOMAIN otherwise.
 */
final class TxtResponder implements AutoCloseable {

    private final DatagramSocket socket;
    private final Map<Name, List<String>> records = new ConcurrentHashMap<>();
    private final Thread thread;

    TxtResponder() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve, "txt-responder-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Serves {@code strings} as the TXT record of {@code name} (replacing what it served there). */
    void serve(String name, List<String> strings) throws TextParseException {
        records.put(Name.fromString(name, Name.root), strings);
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                byte[] answer = answer(query).toWire(65535);
                socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
            } catch (IOException closedOrUnreadable) {
                // closed at the end of the test, or a datagram that is no DNS query: nothing to answer
            }
        }
    }

    private Message answer(Message query) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        Record question = query.getQuestion();
        response.addRecord(question, Section.QUESTION);
        List<String> strings = records.get(question.getName());
        if (strings == null) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
        } else if (question.getType() == Type.TXT) {
            response.addRecord(new TXTRecord(question.getName(), DClass.IN, 300, strings), Section.ANSWER);
        }
        return response;
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(5000);
    }
}
