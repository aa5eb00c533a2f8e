package dev.mailops.mailhost.hosting.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class MailHostRulesTest {

    static final UUID ID = UUID.fromString("2f1c7e0a-6d7b-4c39-9a55-1b0a3c9e8d11");
    static final Map<String, Integer> CATALOG = Map.of("MAIL_LIGHT", 2, "MAIL_STANDARD", 10, "MAIL_PREMIUM", 25);

    final MailHostRules rules = new MailHostRules(rate -> Optional.ofNullable(CATALOG.get(rate)));

    @Test
    void theQuotaIsTheRatesStorageInBytes() {
        // given the catalog's rates, when a mailbox is created at each, then its quota is storageGiB × 2^30
        assertThat(rules.created(ID, "t", "anna@shop.example", "MAIL_LIGHT", List.of(), false).quotaBytes())
                .isEqualTo(2L * 1024 * 1024 * 1024);
        assertThat(rules.quotaBytes("MAIL_PREMIUM")).isEqualTo(25L * 1024 * 1024 * 1024);
    }

    @Test
    void anUnknownRateIsRefused() {
        // given a rate the catalog does not know, when the quota is asked for, then it is refused by name
        assertThatThrownBy(() -> rules.created(ID, "t", "anna@shop.example", "MAIL_GOLD", List.of(), false))
                .isInstanceOf(UnknownRateException.class).hasMessageContaining("MAIL_GOLD");
        assertThatThrownBy(() -> rules.quotaBytes("MAIL_GOLD")).isInstanceOf(UnknownRateException.class);
    }

    @Test
    void theHomeIsDomainSlashLocalPartInLowerCase() {
        // given an address, when a mailbox is created at it, then its home below the mail root is domain/localPart
        HostedMailbox mailbox = rules.created(ID, "t", "Anna.Berg@Shop.Example", "MAIL_LIGHT", List.of(), false);

        assertThat(mailbox.address()).isEqualTo("anna.berg@shop.example");
        assertThat(mailbox.domain()).isEqualTo("shop.example");
        assertThat(mailbox.maildir()).isEqualTo("shop.example/anna.berg");
        assertThat(MailHostRules.maildir("anna@shop.example")).isEqualTo("shop.example/anna");
    }

    @Test
    void aCopyStaysInTheMailboxOnlyWhenMailIsForwarded() {
        // given keepCopy with and without targets, when the mailbox is created, then only a forwarding keeps a copy
        assertThat(rules.created(ID, "t", "anna@shop.example", "MAIL_LIGHT", List.of(), true).keepCopy()).isFalse();
        HostedMailbox forwarding = rules.created(ID, "t", "anna@shop.example", "MAIL_LIGHT",
                List.of("Backoffice@Other.Example", "backoffice@other.example"), true);
        assertThat(forwarding.keepCopy()).isTrue();
        assertThat(forwarding.forwardTo()).containsExactly("backoffice@other.example");
    }

    @Test
    void somethingThatIsNoAddressHasNoHome() {
        assertThatThrownBy(() -> MailHostRules.maildir("no-at-sign")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MailHostRules.maildir("anna@")).isInstanceOf(IllegalArgumentException.class);
    }
}
