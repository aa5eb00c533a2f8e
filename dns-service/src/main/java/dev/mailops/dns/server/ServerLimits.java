package dev.mailops.dns.server;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What keeps the DNS server from being used against others or held by a few clients
 * ({@code dns.limits.*}): the UDP answer size, response rate limiting per client network, and the
 * bounds of TCP.
 */
@ConfigMapping(prefix = "dns.limits")
public interface ServerLimits {

    Udp udp();

    Rrl rrl();

    Tcp tcp();

    interface Udp {
        /**
         * The largest UDP answer whatever EDNS size the client offers (the DNS flag day 2020 value, which
         * avoids IP fragmentation); without EDNS, 512. A larger answer is sent truncated (TC).
         */
        @WithDefault("1232")
        int maxSize();
    }

    /** Response rate limiting over UDP, in the spirit of BIND's RRL. */
    interface Rrl {
        /** UDP answers per second to one client network; a burst of one second's worth is allowed. */
        @WithDefault("50")
        int responsesPerSecond();

        /** Every slip-th limited answer is sent truncated (TC, no records) so a real client retries over TCP; 0 drops all. */
        @WithDefault("2")
        int slip();

        /** The client network of an IPv4 address. */
        @WithDefault("24")
        int ipv4Prefix();

        /** The client network of an IPv6 address. */
        @WithDefault("56")
        int ipv6Prefix();

        /** Networks tracked at once; beyond it the least recently seen are forgotten. */
        @WithDefault("100000")
        long maxNetworks();

        /** A network not heard from for this long is forgotten (its bucket would be full again anyway). */
        @WithDefault("PT1M")
        Duration idleExpiry();
    }

    interface Tcp {
        /** Open TCP connections in all. */
        @WithDefault("256")
        int maxConnections();

        /** Open TCP connections from one client address. */
        @WithDefault("8")
        int maxConnectionsPerClient();

        /** How long a connection may wait for its next query (RFC 7766 suggests some seconds). */
        @WithDefault("PT10S")
        Duration idleTimeout();

        /** How long one query may take to arrive once its first byte came: a client that trickles is dropped. */
        @WithDefault("PT3S")
        Duration readTimeout();
    }
}
