package dev.mailops.gateway.edge;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpServerRequest;

/**
 * Who the client is, for the login throttle, the access log and the services: the peer address of the
 * connection, unless that peer is one of {@code gateway.trusted-proxies} (CIDRs; none by default). Then
 * X-Forwarded-For is read from the right, past every trusted proxy, and the first address that is not
 * one is the client. A value that is not an IP address ends the walk. So a client can put whatever it
 * likes into X-Forwarded-For: only what a trusted proxy appended counts.
 *
 * <p>Quarkus' own {@code quarkus.http.proxy.*} does not fit: it takes the leftmost X-Forwarded-For entry
 * (the one the client wrote, when a proxy appends) and trusts every peer when no proxy is listed. The
 * gateway refuses to start with it on.
 */
@ApplicationScoped
public class ClientAddresses {

    public static final String FORWARDED_FOR = "X-Forwarded-For";

    private final List<IpSubnetFilterRule> trusted;

    ClientAddresses(@ConfigProperty(name = "gateway.trusted-proxies") Optional<List<String>> trustedProxies) {
        this.trusted = trustedProxies.orElse(List.of()).stream().map(String::trim).filter(cidr -> !cidr.isEmpty())
                .map(ClientAddresses::subnet).toList();
    }

    /** For tests: the resolver for these CIDRs. */
    public static ClientAddresses trusting(String... cidrs) {
        return new ClientAddresses(Optional.of(Arrays.asList(cidrs)));
    }

    void refuseQuarkusForwarding(@Observes StartupEvent started,
            @ConfigProperty(name = "quarkus.http.proxy.proxy-address-forwarding", defaultValue = "false") boolean forwarding) {
        if (forwarding) {
            throw new IllegalStateException("quarkus.http.proxy.proxy-address-forwarding would trust the leftmost "
                    + "X-Forwarded-For entry; turn it off and list the proxies in gateway.trusted-proxies (GATEWAY_TRUSTED_PROXIES)");
        }
    }

    /** The client's address (an IP literal) for this request. */
    public String of(HttpServerRequest request) {
        // The connection's peer, never the request's remoteAddress(), which forwarding could have replaced.
        return of(request.connection().remoteAddress().hostAddress(), request.headers().getAll(FORWARDED_FOR));
    }

    /**
     * Whether the client reached the edge over TLS: this connection is TLS, or it comes from a trusted
     * proxy whose X-Forwarded-Proto (the last one, its own) says https.
     */
    public boolean isHttps(HttpServerRequest request) {
        if (request.isSSL()) {
            return true;
        }
        if (!isTrusted(request.connection().remoteAddress().hostAddress())) {
            return false;
        }
        List<String> protos = request.headers().getAll("X-Forwarded-Proto");
        if (protos.isEmpty()) {
            return false;
        }
        String[] last = protos.get(protos.size() - 1).split(",");
        return last[last.length - 1].trim().equalsIgnoreCase("https");
    }

    /** The client's address from the peer and the X-Forwarded-For headers (in order). */
    public String of(String peer, List<String> forwardedFor) {
        String client = peer;
        if (!isTrusted(client)) {
            return client;
        }
        List<String> hops = forwardedFor.stream().flatMap(header -> Arrays.stream(header.split(",")))
                .map(String::trim).toList();
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<String> hop = literal(hops.get(i));
            if (hop.isEmpty()) {
                return client; // not an address: nothing left of it can be believed
            }
            client = hop.get();
            if (!isTrusted(client)) {
                return client;
            }
        }
        return client;
    }

    /**
     * The network a client stands for: an IPv4 address itself, an IPv6 address its /64 (one subscriber's
     * usual allocation, so a client cannot count as 2^64 clients).
     */
    public static String network(String address) {
        InetAddress parsed = NetUtil.createInetAddressFromIpAddressString(address);
        if (parsed instanceof Inet6Address) {
            byte[] bytes = parsed.getAddress();
            Arrays.fill(bytes, 8, 16, (byte) 0);
            return NetUtil.bytesToIpAddress(bytes) + "/64";
        }
        return address;
    }

    private boolean isTrusted(String address) {
        if (trusted.isEmpty()) {
            return false;
        }
        InetAddress parsed = NetUtil.createInetAddressFromIpAddressString(address);
        if (parsed == null) {
            return false;
        }
        InetSocketAddress socket = new InetSocketAddress(parsed, 0);
        return trusted.stream().anyMatch(rule -> rule.matches(socket));
    }

    /** The address as an IP literal, without port or brackets, if it is one; never a DNS lookup. */
    private static Optional<String> literal(String hop) {
        String host = hop;
        if (host.startsWith("[") && host.contains("]")) {
            host = host.substring(1, host.indexOf(']'));
        } else if (host.indexOf(':') > 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            host = host.substring(0, host.indexOf(':')); // IPv4 with a port
        }
        InetAddress parsed = NetUtil.createInetAddressFromIpAddressString(host);
        return parsed == null ? Optional.empty() : Optional.of(NetUtil.toAddressString(parsed));
    }

    private static IpSubnetFilterRule subnet(String cidr) {
        String[] parts = cidr.split("/", 2);
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(parts[0]);
        if (address == null) {
            throw new IllegalArgumentException("gateway.trusted-proxies: not an address or CIDR: " + cidr);
        }
        int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : address.getAddress().length * 8;
        return new IpSubnetFilterRule(address, bits, IpFilterRuleType.ACCEPT);
    }
}
