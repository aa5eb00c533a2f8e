package dev.mailops.mailbox.dns;

/** A DNS server to ask: host (name, IPv4 or IPv6 address) and port. */
public record DnsServer(String host, int port) {

    /** Parses {@code host[:port]} (IPv6 as {@code [address]:port}); the port defaults to 53. */
    public static DnsServer parse(String setting, String value) {
        String server = value.strip();
        int colon = server.lastIndexOf(':');
        boolean bracketed = server.startsWith("[");
        try {
            if (bracketed) {
                int end = server.indexOf(']');
                String host = server.substring(1, end);
                return new DnsServer(host, end + 1 < server.length() ? port(server.substring(end + 2)) : 53);
            }
            if (colon > 0 && server.indexOf(':') == colon) {
                return new DnsServer(server.substring(0, colon), port(server.substring(colon + 1)));
            }
            if (server.isEmpty()) {
                throw new IllegalArgumentException("empty");
            }
            return new DnsServer(server, 53);
        } catch (RuntimeException e) {
            throw new IllegalStateException(setting + ": '" + value + "' is not host[:port] (IPv6 as [address]:port)", e);
        }
    }

    private static int port(String value) {
        int port = Integer.parseInt(value);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range");
        }
        return port;
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
