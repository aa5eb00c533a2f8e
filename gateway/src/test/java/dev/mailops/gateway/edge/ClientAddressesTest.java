package dev.mailops.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ClientAddressesTest {

    final ClientAddresses noProxies = ClientAddresses.trusting();
    final ClientAddresses behindProxies = ClientAddresses.trusting("10.0.0.0/8", "2001:db8:ffff::/48");

    @Test
    void withoutTrustedProxiesTheClientIsThePeerWhateverItForwards() {
        assertThat(noProxies.of("192.0.2.7", List.of("203.0.113.1"))).isEqualTo("192.0.2.7");
    }

    @Test
    void anUntrustedPeerCannotNameAnotherClient() {
        assertThat(behindProxies.of("192.0.2.7", List.of("203.0.113.1"))).isEqualTo("192.0.2.7");
    }

    @Test
    void behindTrustedProxiesTheClientIsTheLastAddressNoProxyOfOursAdded() {
        assertThat(behindProxies.of("10.1.2.3", List.of("198.51.100.66, 203.0.113.9"))).as("198.51.100.66 is the client's own claim")
                .isEqualTo("203.0.113.9");
        assertThat(behindProxies.of("10.1.2.3", List.of("198.51.100.66", "203.0.113.9, 10.9.9.9"))).isEqualTo("203.0.113.9");
        assertThat(behindProxies.of("10.1.2.3", List.of("[2001:db8::5]:4711"))).isEqualTo("2001:db8::5");
        assertThat(behindProxies.of("10.1.2.3", List.of("203.0.113.9:4711"))).isEqualTo("203.0.113.9");
    }

    @Test
    void somethingThatIsNotAnAddressEndsTheWalk() {
        assertThat(behindProxies.of("10.1.2.3", List.of("203.0.113.9, evil.example"))).isEqualTo("10.1.2.3");
        assertThat(behindProxies.of("10.1.2.3", List.of())).isEqualTo("10.1.2.3");
    }

    @Test
    void anIpv6ClientCountsAsItsSlash64() {
        assertThat(ClientAddresses.network("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).isEqualTo("2001:db8:1:2::/64");
        assertThat(ClientAddresses.network("192.0.2.7")).isEqualTo("192.0.2.7");
    }
}
