package dev.mailops.mailbox.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {

    @Test
    void normalisesToLowerCase() {
        assertThat(EmailAddress.parse(" Anna.Berg@Shop.Example ").toString()).isEqualTo("anna.berg@shop.example");
    }

    @Test
    void acceptsTheLongestLegalLocalPartAndAddress() {
        String local = "a".repeat(64);
        String domain = "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(58) + ".de"; // 64 + 1 + 189 = 254
        assertThat(EmailAddress.of(local, domain).toString()).hasSize(254);
    }

    @Test
    void refusesALocalPartOver64Octets() {
        assertThatThrownBy(() -> EmailAddress.of("a".repeat(65), "shop.example"))
                .hasMessageContaining("at most 64 octets");
        assertThatThrownBy(() -> EmailAddress.of("ä".repeat(33), "shop.example"))
                .isInstanceOf(InvalidValue.class);
    }

    @Test
    void refusesAnAddressOver254Octets() {
        String domain = "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(59) + ".de";
        assertThatThrownBy(() -> EmailAddress.of("a".repeat(64), domain)).hasMessageContaining("at most 254");
    }

    @ParameterizedTest
    @ValueSource(strings = { ".anna", "anna.", "an..na", "an na", "an\"na", "anna@x", "an(na", "" })
    void refusesLocalPartsThatAreNotDotAtoms(String localPart) {
        assertThatThrownBy(() -> EmailAddress.of(localPart, "shop.example")).isInstanceOf(InvalidValue.class);
    }

    @ParameterizedTest
    @ValueSource(strings = { "anna", "anna.berg", "anna+news", "o'brien", "a_b-c", "x" })
    void acceptsDotAtoms(String localPart) {
        assertThat(EmailAddress.of(localPart, "shop.example").localPart()).isEqualTo(localPart);
    }

    @ParameterizedTest
    @ValueSource(strings = { "anna+news", "o'brien", "a/b", "x{y}", "-anna", "anna-", "a%b" })
    void hostedAddressesUseOnlyCharactersEveryClientHandles(String localPart) {
        assertThatThrownBy(() -> EmailAddress.validHostedLocalPart(localPart)).isInstanceOf(InvalidValue.class);
    }

    @ParameterizedTest
    @ValueSource(strings = { "anna", "anna.berg", "a_b-c", "x", "info2" })
    void hostedAddressesAcceptTheUsualLocalParts(String localPart) {
        assertThat(EmailAddress.validHostedLocalPart(localPart)).isEqualTo(localPart);
    }

    @ParameterizedTest
    @ValueSource(strings = { "shop", "-shop.example", "shop-.example", "sh op.example", "shop.123", "shop..example",
            "a.b_c.example" })
    void refusesBadDomains(String domain) {
        assertThatThrownBy(() -> DomainName.of(domain)).isInstanceOf(InvalidValue.class);
    }

    @Test
    void storesInternationalDomainsAsPunycode() {
        assertThat(DomainName.of("Bücher.example").name()).isEqualTo("xn--bcher-kva.example");
        assertThat(DomainName.of("shop.example.").name()).isEqualTo("shop.example");
    }
}
