package dev.mailops.dns.zone.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

import org.junit.jupiter.api.Test;

class SpfTest {

    @Test
    void anSpfRecordStartsWithItsVersionAsAWord() {
        assertThat(Spf.isSpf("v=spf1 -all")).isTrue();
        assertThat(Spf.isSpf("V=SPF1")).isTrue();
        assertThat(Spf.isSpf("v=spf10 -all")).isFalse();
        assertThat(Spf.isSpf("google-site-verification=abc")).isFalse();
    }

    @Test
    void readsEveryMechanismAndModifierOfRfc7208() {
        assertThat(Spf.terms("v=spf1 include:a.example a a:b.example/24 mx/24 ptr exists:%{i}.x.example "
                + "ip4:192.0.2.0/24 ip6:2001:db8::/32 redirect=c.example exp=d.example ~all"))
                .hasSize(11);
        assertThat(Spf.terms("v=spf1   -all ")).containsExactly("-all");
    }

    @Test
    void refusesWhatIsNotSpfSyntax() {
        assertThatThrownBy(() -> Spf.terms("v=spf1 include -all")).isInstanceOf(InvalidValue.class)
                .hasMessageContaining("'include' is not an SPF mechanism or modifier");
        assertThatThrownBy(() -> Spf.terms("spf1 -all")).isInstanceOf(InvalidValue.class)
                .hasMessage("an SPF record starts with v=spf1");
    }

    @Test
    void countsTheTermsThatCostADnsLookup() {
        assertThat(Spf.lookups(Spf.terms("v=spf1 include:a.example a mx:b.example ptr exists:c.example redirect=d.example"
                + " ip4:192.0.2.1 ip6:2001:db8::1 exp=e.example -all"))).isEqualTo(6);
    }

    @Test
    void mergesTheProvidersIncludeFirstAndTheTenantsAllLast() {
        assertThat(Spf.merge("include:mailbox.org", "~all", "v=spf1 include:_spf.shop.example ip4:192.0.2.0/24 -all"))
                .isEqualTo("v=spf1 include:mailbox.org include:_spf.shop.example ip4:192.0.2.0/24 -all");
    }

    @Test
    void withoutATenantsAllTheProvidersApplies() {
        assertThat(Spf.merge("include:mailbox.org", "~all", "v=spf1 a")).isEqualTo("v=spf1 include:mailbox.org a ~all");
    }

    @Test
    void anIdenticalTermAppearsOnce() {
        assertThat(Spf.merge("include:mailbox.org", "~all", "v=spf1 include:mailbox.org mx -all"))
                .isEqualTo("v=spf1 include:mailbox.org mx -all");
    }

    @Test
    void allowsTenLookupsOnTheMergedRecordAndNoMore() {
        String nine = "v=spf1" + " a:h%d.example".repeat(9).formatted(1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThatNoException().isThrownBy(() -> Spf.check("include:mailbox.org", "~all", nine));
        assertThatThrownBy(() -> Spf.check("include:mailbox.org", "~all", nine + " mx")).isInstanceOf(InvalidValue.class)
                .hasMessage("needs 11 DNS lookups together with the provider's include:mailbox.org; "
                        + "RFC 7208 allows at most 10");
    }

    @Test
    void aSelfHostedProfileMergesTheMailHostItNamesAndCountsItsLookups() {
        assertThat(Spf.merge("a:mail.example.net", "~all", "v=spf1 include:_spf.shop.example -all"))
                .isEqualTo("v=spf1 a:mail.example.net include:_spf.shop.example -all");
        String nine = "v=spf1" + " a:h%d.example".repeat(9).formatted(1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThatNoException().isThrownBy(() -> Spf.check("a:mail.example.net", "~all", nine));
        assertThatThrownBy(() -> Spf.check("mx a:mail.example.net", "~all", nine)).isInstanceOf(InvalidValue.class)
                .hasMessage("needs 11 DNS lookups together with the provider's mx a:mail.example.net; "
                        + "RFC 7208 allows at most 10");
    }
}
