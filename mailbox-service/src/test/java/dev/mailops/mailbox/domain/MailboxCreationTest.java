package dev.mailops.mailbox.domain;

import static dev.mailops.mailbox.domain.AggregateFixture.givenNoMailbox;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.mailops.mailbox.domain.event.MailboxCreated;

/**
 * The rules of the "Create mailbox" dialog, decided by {@link NewMailbox} and {@link Mailbox#create}:
 * among them, that the mailbox belongs to an enabled user of the tenant ({@link SystemUsers}).
 */
class MailboxCreationTest {

    static final UUID ID = UUID.fromString("6c0d3a4e-2b8f-4f61-9a3e-5d7c1e2f9b40");
    static final OwnDomains SHOP_ONLY = domain -> domain.name().equals("shop.example");
    /** The tenant's users: u-17 enabled, u-18 disabled; any other id is no user of this tenant. */
    static final SystemUsers U17_ENABLED = user -> switch (user.value()) {
        case "u-17" -> SystemUsers.Standing.ENABLED;
        case "u-18" -> SystemUsers.Standing.DISABLED;
        default -> SystemUsers.Standing.UNKNOWN;
    };
    static final NewMailbox.Form ANNA = new NewMailbox.Form("anna", "shop.example", "Anna", "Berg", "u-17",
            List.of(), false);

    @Test
    void createsTheMailboxWithItsCheckedFields() {
        NewMailbox.Form form = new NewMailbox.Form("Anna.Berg", "Shop.Example", " Anna ", "Berg", "u-17",
                List.of("Office@Partner.Example", "backoffice@elsewhere.example"), true);
        givenNoMailbox()
                .whenCreating(() -> Mailbox.create(ID, NewMailbox.of(form, SHOP_ONLY, U17_ENABLED), "MAIL_LIGHT"))
                .then(new MailboxCreated(ID, "anna.berg@shop.example", "anna.berg", "shop.example", "Anna", "Berg",
                        "u-17", List.of("Office@partner.example", "backoffice@elsewhere.example"), true, "MAIL_LIGHT"));
    }

    @Test
    void keepsACopyOnlyWhenItForwards() {
        givenNoMailbox()
                .whenCreating(() -> create(withForwarding(List.of(), true)))
                .thenRejectsFields(new FieldViolation("keepCopy",
                        "can only be enabled once at least one forwarding address is entered"));
        givenNoMailbox()
                .whenCreating(() -> create(withForwarding(null, true)))
                .thenRejectsFields(new FieldViolation("keepCopy",
                        "can only be enabled once at least one forwarding address is entered"));
    }

    @Test
    void aCopyNeedsAValidForwardingAddress() {
        givenNoMailbox()
                .whenCreating(() -> create(withForwarding(List.of("nonsense"), true)))
                .thenRejectsFields(
                        new FieldViolation("forwardTo[0]", "'nonsense' is not an email address of the form local-part@domain"),
                        new FieldViolation("keepCopy", "can only be enabled once at least one forwarding address is entered"));
    }

    @Test
    void doesNotForwardToItself() {
        givenNoMailbox()
                .whenCreating(() -> create(withForwarding(List.of("ok@partner.example", "ANNA@Shop.Example"), false)))
                .thenRejectsFields(new FieldViolation("forwardTo[1]", "a mailbox cannot forward to itself"));
    }

    @Test
    void listsNoTargetTwice() {
        givenNoMailbox()
                .whenCreating(() -> create(withForwarding(List.of("Office@partner.example", "office@PARTNER.example"),
                        false)))
                .thenRejectsFields(new FieldViolation("forwardTo[1]", "office@partner.example is listed twice"));
    }

    @Test
    void forwardsToAtMostTwentyAddresses() {
        List<String> twenty = IntStream.range(0, 20).mapToObj(i -> "t" + i + "@partner.example").toList();
        givenNoMailbox()
                .whenCreating(() -> create(withForwarding(twenty, true)))
                .then(new MailboxCreated(ID, "anna@shop.example", "anna", "shop.example", "Anna", "Berg", "u-17",
                        twenty, true, "MAIL_LIGHT"));
        List<String> twentyOne = new ArrayList<>(twenty);
        twentyOne.add("t20@partner.example");
        givenNoMailbox()
                .whenCreating(() -> create(withForwarding(twentyOne, false)))
                .thenRejectsFields(new FieldViolation("forwardTo", "at most 20 forwarding addresses are allowed"));
    }

    @Test
    void isCreatedOnlyAtOneOfTheTenantsDomains() {
        givenNoMailbox()
                .whenCreating(() -> create(new NewMailbox.Form("anna", "other.example", "Anna", "Berg", "u-17",
                        List.of(), false)))
                .thenRejectsFields(new FieldViolation("domain",
                        "other.example is not one of your domains; register it first with PUT /api/v1/domains/other.example"));
    }

    @Test
    void hasALocalPartEveryMailClientHandles() {
        givenNoMailbox()
                .whenCreating(() -> create(new NewMailbox.Form("o'brien", "shop.example", "Anna", "Berg", "u-17",
                        List.of(), false)))
                .thenRejectsFields(new FieldViolation("localPart",
                        "may contain only letters a-z, digits, and . _ - between them"));
    }

    @Test
    void needsBothNamesAndTheSystemUserInTheirFormats() {
        givenNoMailbox()
                .whenCreating(() -> create(new NewMailbox.Form("anna", "shop.example", " ", "<Berg>", "u 17",
                        List.of(), false)))
                .thenRejectsFields(
                        new FieldViolation("firstName", "must not be blank"),
                        new FieldViolation("lastName", "must not contain control characters, quotes or angle brackets"),
                        new FieldViolation("systemUserId", "must be 1-64 letters, digits or . _ @ -"));
    }

    @Test
    void belongsToAUserOfTheTenant() {
        givenNoMailbox()
                .whenCreating(() -> create(withSystemUser("u-99")))
                .thenRejectsFields(new FieldViolation("systemUserId",
                        "u-99 is not a user of your tenant: select one of GET /api/v1/users"));
    }

    @Test
    void belongsToAnEnabledUserOnly() {
        givenNoMailbox()
                .whenCreating(() -> create(withSystemUser("u-18")))
                .thenRejectsFields(new FieldViolation("systemUserId",
                        "u-18 is disabled: select an enabled user of your tenant"));
    }

    @Test
    void asksTheTenantsUsersOnlyAboutAWellFormedId() {
        SystemUsers nobodyAsked = user -> {
            throw new AssertionError("asked about " + user);
        };
        givenNoMailbox()
                .whenCreating(() -> Mailbox.create(ID, NewMailbox.of(withSystemUser("u 17"), SHOP_ONLY, nobodyAsked),
                        "MAIL_LIGHT"))
                .thenRejectsFields(new FieldViolation("systemUserId", "must be 1-64 letters, digits or . _ @ -"));
    }

    @Test
    void reportsEveryBadFieldAtOnceInTheDialogsOrder() {
        NewMailbox.Form form = new NewMailbox.Form(".bad", "not a domain", null, "x".repeat(101), "",
                List.of("a@partner.example", "A@partner.example"), true);
        givenNoMailbox()
                .whenCreating(() -> create(form))
                .thenRejectsFields(
                        new FieldViolation("localPart", "must not start or end with a dot or contain two dots in a row"),
                        new FieldViolation("domain", "'not a domain' is not a valid domain name"),
                        new FieldViolation("firstName", "must not be blank"),
                        new FieldViolation("lastName", "must be at most 100 characters long"),
                        new FieldViolation("systemUserId", "must not be blank: select the system user the mailbox belongs to"),
                        new FieldViolation("forwardTo[1]", "a@partner.example is listed twice"));
    }

    @Test
    void countsAnAddressTooLongAsAWholeAgainstTheLocalPart() {
        String longDomain = "d".repeat(63) + "." + "e".repeat(63) + "." + "f".repeat(63) + ".de";
        givenNoMailbox()
                .whenCreating(() -> Mailbox.create(ID, NewMailbox.of(new NewMailbox.Form("a".repeat(64), longDomain,
                        "Anna", "Berg", "u-17", List.of(), false), domain -> true, U17_ENABLED), "MAIL_LIGHT"))
                .thenRejectsFields(new FieldViolation("localPart",
                        "the address is 259 octets long; at most 254 are allowed"));
    }

    private static Mailbox create(NewMailbox.Form form) {
        return Mailbox.create(ID, NewMailbox.of(form, SHOP_ONLY, U17_ENABLED), "MAIL_LIGHT");
    }

    private static NewMailbox.Form withSystemUser(String systemUserId) {
        return new NewMailbox.Form(ANNA.localPart(), ANNA.domain(), ANNA.firstName(), ANNA.lastName(), systemUserId,
                ANNA.forwardTo(), ANNA.keepCopy());
    }

    private static NewMailbox.Form withForwarding(List<String> forwardTo, Boolean keepCopy) {
        return new NewMailbox.Form(ANNA.localPart(), ANNA.domain(), ANNA.firstName(), ANNA.lastName(),
                ANNA.systemUserId(), forwardTo == null ? null : Collections.unmodifiableList(forwardTo), keepCopy);
    }
}
