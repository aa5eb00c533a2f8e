package dev.mailops.dns.zone.rules;

import static dev.mailops.dns.zone.rules.ZoneFixture.PROVIDER_DMARC;
import static dev.mailops.dns.zone.rules.ZoneFixture.PROVIDER_MAIL;
import static dev.mailops.dns.zone.rules.ZoneFixture.PROVIDER_MX;
import static dev.mailops.dns.zone.rules.ZoneFixture.PROVIDER_SPF;
import static dev.mailops.dns.zone.rules.ZoneFixture.RULES;
import static dev.mailops.dns.zone.rules.ZoneFixture.givenZone;
import static dev.mailops.dns.zone.rules.ZoneFixture.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class TenantRecordRulesTest {

    static final String TENANT_SPF = "v=spf1 include:_spf.shopsystem.example ip4:192.0.2.0/24 -all";

    @Test
    void storesARecordRelativeToTheZoneWithTheProvidersTtlByDefault() {
        givenZone()
                .whenTenantAdds("www", "a", " 192.0.2.10 ")
                .thenStores(new ZoneEntry("www", "A", 3600, "192.0.2.10", ManagedBy.TENANT));
        givenZone()
                .whenTenantAdds("www.shop.example.", "A", "192.0.2.10", 300)
                .thenStores(new ZoneEntry("www", "A", 300, "192.0.2.10", ManagedBy.TENANT));
    }

    @Test
    void aBlankSourceOrAnAtIsTheApex() {
        givenZone()
                .whenTenantAdds("", "TXT", "google-site-verification=abc")
                .thenStores(tenant("@", "TXT", "google-site-verification=abc"));
        givenZone()
                .whenTenantAdds("@", "MX", "20 backup.example.")
                .thenStores(tenant("@", "MX", "20 backup.example."));
    }

    @Test
    void namesEveryInvalidFieldAtOnce() {
        givenZone()
                .whenTenantAdds("bad..name", "NAPTR", "", 30)
                .thenRefusesFields("source", "type", "ttl", "value");
    }

    @Test
    void refusesANameOutsideTheZone() {
        givenZone()
                .whenTenantAdds("www.other.example.", "A", "192.0.2.10")
                .thenRefuses("source", "must be inside the zone shop.example.");
    }

    @Test
    void refusesATypeThatIsNotOffered() {
        givenZone()
                .whenTenantAdds("x", "NS", "ns.elsewhere.example.")
                .thenRefuses("type", "must be one of [A, AAAA, CAA, CNAME, MX, SRV, TXT]");
    }

    @Test
    void takesTtlsFromAMinuteToAWeek() {
        givenZone().whenTenantAdds("a", "A", "192.0.2.1", 60).thenStores(new ZoneEntry("a", "A", 60, "192.0.2.1",
                ManagedBy.TENANT));
        givenZone().whenTenantAdds("a", "A", "192.0.2.1", 604_800).thenStores(new ZoneEntry("a", "A", 604_800,
                "192.0.2.1", ManagedBy.TENANT));
        givenZone().whenTenantAdds("a", "A", "192.0.2.1", 59).thenRefuses("ttl", "must be 60 to 604800 seconds");
        givenZone().whenTenantAdds("a", "A", "192.0.2.1", 604_801).thenRefuses("ttl", "must be 60 to 604800 seconds");
    }

    @Test
    void refusesValuesThatAreNotRecordDataOfTheirType() {
        givenZone().whenTenantAdds("www", "A", "not-an-ip").thenRefuses("value", "is not valid A record data");
        givenZone().whenTenantAdds("www", "MX", "mx.example.").thenRefuses("value", "is not valid MX record data");
        givenZone().whenTenantAdds("www", "TXT", "x".repeat(4001)).thenRefuses("value", "limited to 4000 bytes");
        givenZone().whenTenantAdds("www", "A", "   ").thenRefuses("value", "must not be blank");
    }

    @Test
    void refusesControlCharactersInsteadOfStoringThem() {
        givenZone().whenTenantAdds("nul", "TXT", "a\u0000b").thenRefuses("value", "must not contain control characters");
        givenZone().whenTenantAdds("a\u0000b", "TXT", "ok").thenRefuses("source", "must not contain control characters");
    }

    @Test
    void theApexCannotBeACname() {
        givenZone()
                .whenTenantAdds("@", "CNAME", "elsewhere.example.")
                .thenRefuses("source", "the zone apex cannot be a CNAME");
    }

    @Test
    void aCnameIsTheOnlyRecordOfItsName() {
        givenZone(tenant("www", "A", "192.0.2.10"))
                .whenTenantAdds("WWW", "CNAME", "elsewhere.example.")
                .thenConflicts(RecordConflict.Rule.CNAME_CONFLICT, "a CNAME must be the only record of its name");
        givenZone()
                .whenTenantAdds("mail", "TXT", "hello")
                .thenConflicts(RecordConflict.Rule.CNAME_CONFLICT, "mail is a CNAME");
    }

    @Test
    void theSameRecordOnce() {
        givenZone(tenant("www", "A", "192.0.2.10"))
                .whenTenantAdds("www", "A", "192.0.2.10")
                .thenConflicts(RecordConflict.Rule.RECORD_EXISTS, "has this record already");
        givenZone(tenant("www", "A", "192.0.2.10"))
                .whenTenantAdds("www", "A", "192.0.2.11")
                .thenStores(tenant("www", "A", "192.0.2.11"));
    }

    @Test
    void theTenantsFirstSpfRecordIsAccepted() {
        givenZone()
                .whenTenantAdds("", "TXT", TENANT_SPF)
                .thenStores(tenant("@", "TXT", TENANT_SPF));
    }

    @Test
    void aDomainHasExactlyOneSpfRecordOfTheTenant() {
        givenZone(tenant("@", "TXT", TENANT_SPF))
                .whenTenantAdds("@", "TXT", "v=spf1 a -all")
                .thenConflicts(RecordConflict.Rule.SPF_EXISTS, "delete your SPF record first");
    }

    @Test
    void anSpfRecordElsewhereThanTheApexIsAnOrdinaryTxtRecord() {
        givenZone(tenant("@", "TXT", TENANT_SPF))
                .whenTenantAdds("shop", "TXT", "v=spf1 bogus")
                .thenStores(tenant("shop", "TXT", "v=spf1 bogus"));
    }

    @Test
    void theProvidersIncludeCountsTowardsTheTenLookups() {
        String nine = "v=spf1" + " include:s%d.example".repeat(9).formatted(1, 2, 3, 4, 5, 6, 7, 8, 9) + " -all";
        givenZone()
                .whenTenantAdds("@", "TXT", nine)
                .thenStores(tenant("@", "TXT", nine));
        givenZone()
                .whenTenantAdds("@", "TXT", nine.replace(" -all", " mx -all"))
                .thenRefuses("value", "needs 11 DNS lookups together with the provider's include:mailbox.org");
    }

    @Test
    void refusesAnSpfTermOfNoMechanism() {
        givenZone()
                .whenTenantAdds("@", "TXT", "v=spf1 include -all")
                .thenRefuses("value", "'include' is not an SPF mechanism or modifier");
    }

    @Test
    void refusesASecondRecordBesideTheProvidersOfTheSameNameAndType() {
        ZoneEntry selector = new ZoneEntry("mbo0001._domainkey", "TXT", 3600, "v=DKIM1; k=rsa; p=MIIB",
                ManagedBy.PROVIDER);
        givenZone()
                .whenTenantAdds("_dmarc", "TXT", "v=DMARC1; p=reject")
                .thenConflicts(RecordConflict.Rule.PROVIDER_NAME, "_dmarc TXT is set by the mail provider");
        givenZone(selector)
                .whenTenantAdds("MBO0001._domainkey", "TXT", "v=DKIM1; k=rsa; p=other")
                .thenConflicts(RecordConflict.Rule.PROVIDER_NAME, "a second record there would void the provider's");
        givenZone(selector)
                .whenTenantAdds("s1._domainkey", "TXT", "v=DKIM1; k=rsa; p=newsletter")
                .thenStores(tenant("s1._domainkey", "TXT", "v=DKIM1; k=rsa; p=newsletter"));
        givenZone()
                .whenTenantAdds("@", "TXT", "google-site-verification=abc")
                .thenStores(tenant("@", "TXT", "google-site-verification=abc"));
    }

    @Test
    void theTenantRemovesItsOwnRecordsButNotTheProviders() {
        ZoneEntry own = tenant("www", "A", "192.0.2.10");
        givenZone(own).whenTenantRemoves(own).thenAccepted();
        givenZone().whenTenantRemoves(PROVIDER_MX)
                .thenConflicts(RecordConflict.Rule.PROVIDER_RECORD, "mail would stop working without it");
    }

    @Test
    void theTenantsSpfIsServedMergedIntoTheProvidersRecord() {
        ZoneEntry www = tenant("www", "A", "192.0.2.10");
        List<ZoneEntry> served = RULES.served(List.of(PROVIDER_MX, PROVIDER_SPF, PROVIDER_MAIL, www,
                tenant("@", "TXT", TENANT_SPF)));

        assertThat(served).containsExactly(PROVIDER_MX, new ZoneEntry("@", "TXT", 3600,
                "v=spf1 include:mailbox.org include:_spf.shopsystem.example ip4:192.0.2.0/24 -all", ManagedBy.PROVIDER),
                PROVIDER_MAIL, www);
    }

    @Test
    void withoutTheTenantsSpfTheProvidersIsServedAlone() {
        assertThat(RULES.served(List.of(PROVIDER_SPF, PROVIDER_DMARC))).containsExactly(PROVIDER_SPF, PROVIDER_DMARC);
    }

    @Test
    void aFullZoneRefusesAnotherRecordAndCountsTheProvidersToo() {
        // the zone holds the provider's 4 records and the tenant's 1: 5 of 5
        givenZone(tenant("www", "A", "192.0.2.10")).within(new ZoneLimits(5, 16_384))
                .whenTenantAdds("shop", "A", "192.0.2.11")
                .thenConflicts(RecordConflict.Rule.ZONE_RECORD_LIMIT, "the most a zone may hold is 5");
        givenZone().within(new ZoneLimits(5, 16_384))
                .whenTenantAdds("shop", "A", "192.0.2.11")
                .thenAccepted();
    }

    @Test
    void txtDataBeyondTheZonesBudgetIsRefusedNamingTheValue() {
        // the provider's SPF (31 bytes) and DMARC (16 bytes) and the tenant's 50 bytes: 97 of 100
        ZoneFixture zone = givenZone(tenant("a", "TXT", "x".repeat(50))).within(new ZoneLimits(200, 100));
        zone.whenTenantAdds("b", "TXT", "yyyy")
                .thenRefuses("value", "would bring the zone's TXT data to 101 bytes, above the limit of 100 bytes");
        zone.whenTenantAdds("b", "TXT", "yyy").thenAccepted();
        zone.whenTenantAdds("b", "A", "192.0.2.1").thenAccepted();
    }
}
