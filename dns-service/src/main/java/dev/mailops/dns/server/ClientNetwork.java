package dev.mailops.dns.server;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The network a client address belongs to, the unit of response rate limiting (a /24 or a /56 by default). */
final class ClientNetwork {

    private ClientNetwork() {
    }

    /** The address with its host bits cleared and the prefix length, e.g. {@code 192.0.2.0/24}. */
    static String of(InetAddress address, int ipv4Prefix, int ipv6Prefix) {
        byte[] bytes = address.getAddress();
        int prefix = bytes.length == 4 ? ipv4Prefix : ipv6Prefix;
        for (int bit = prefix; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
