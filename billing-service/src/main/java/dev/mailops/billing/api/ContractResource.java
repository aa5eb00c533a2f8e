package dev.mailops.billing.api;

import static dev.mailops.billing.api.ContractViews.money;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.security.Authenticated;

import dev.mailops.billing.catalog.Catalog;
import dev.mailops.billing.catalog.VatRates;
import dev.mailops.billing.contract.BasicFeePeriod;
import dev.mailops.billing.contract.BillingAddress;
import dev.mailops.billing.contract.Contract;
import dev.mailops.billing.contract.ContractLine;
import dev.mailops.billing.contract.ContractQueries;
import dev.mailops.billing.statement.StatementCalculator;
import dev.mailops.kit.errors.FieldErrors;
import dev.mailops.kit.errors.InvalidValueException;
import dev.mailops.kit.errors.ValidationException;
import dev.mailops.kit.web.Caller;

/** The tenant's contract (manual: "your contract will be updated"), its revisions and monthly statements. */
@Path("/api/v1/contract")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class ContractResource {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,63}");
    private static final Pattern VAT_ID = Pattern.compile("[A-Z]{2}[A-Z0-9]{2,13}");

    /** What {@code PUT /api/v1/contract/billing-address} takes. */
    public record BillingAddressInput(String company, String street, String postalCode, String city, String country,
            String email, String vatId) {
    }

    @Inject
    ContractQueries queries;
    @Inject
    Catalog catalog;
    @Inject
    VatRates vatRates;
    @Inject
    Caller caller;
    @Inject
    EntityManager entityManager;

    @ConfigProperty(name = "billing.timezone", defaultValue = "Europe/Berlin")
    ZoneId zone;

    /** The current contract; revision 0 with the default plan and no mailboxes before the first change. */
    @GET
    public ContractViews.Contract contract() {
        String tenant = caller.tenantId();
        var contract = queries.contract(tenant);
        var period = queries.currentPeriod(tenant);
        Catalog.BasicFeePlan plan = catalog.basicFee(contract.map(c -> c.basicFeePlan).orElse(catalog.defaultBasicFee().id()))
                .orElse(catalog.defaultBasicFee());
        BigDecimal planPrice = period.map(p -> p.monthlyNetPrice).orElse(plan.monthlyNetPrice());
        List<ContractViews.Mailbox> mailboxes = queries.activeLines(tenant).stream()
                .map(line -> new ContractViews.Mailbox(line.mailboxId, line.address, line.rate,
                        catalog.rate(line.rate).map(Catalog.Rate::name).orElse(line.rate), money(line.monthlyNetPrice),
                        line.startsAt))
                .toList();
        BigDecimal net = queries.activeLines(tenant).stream().map(line -> line.monthlyNetPrice)
                .reduce(planPrice, BigDecimal::add);
        var billingAddress = queries.billingAddress(tenant);
        StatementCalculator.Totals totals = StatementCalculator.totals(net, vatPercent(billingAddress.orElse(null)));
        return new ContractViews.Contract(tenant, contract.map(c -> c.revision).orElse(0), catalog.currency(),
                new ContractViews.BasicFee(plan.id(), plan.name(), money(planPrice), plan.providerSupport(),
                        period.map(p -> p.startsAt).orElse(null)),
                mailboxes, money(totals.net()), vat(billingAddress.orElse(null), totals), money(totals.gross()),
                billingAddress.map(ContractResource::view).orElse(null), contract.map(c -> c.updatedAt).orElse(null));
    }

    @GET
    @Path("/revisions")
    public List<ContractViews.Revision> revisions(@QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size) {
        if (page < 0 || size < 1 || size > 500) {
            throw ValidationException.of(page < 0 ? "page" : "size", "page must be ≥ 0 and size 1 to 500");
        }
        return queries.revisions(caller.tenantId(), page, size).stream()
                .map(r -> new ContractViews.Revision(r.revision, r.occurredAt, r.change,
                        new ContractViews.Cause(r.causeEventId, r.causeEventType, r.causeSubject), r.basicFeePlan,
                        r.activeMailboxes, money(r.monthlyNetTotal)))
                .toList();
    }

    @GET
    @Path("/statements/{month}")
    public ContractViews.Statement statement(@PathParam("month") String monthText) {
        YearMonth month;
        try {
            month = YearMonth.parse(monthText);
        } catch (DateTimeParseException e) {
            throw ValidationException.of("month", "must be a month as yyyy-MM, e.g. 2026-11");
        }
        String tenant = caller.tenantId();
        Instant from = month.atDay(1).atStartOfDay(zone).toInstant();
        Instant until = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
        List<StatementCalculator.Item> items = new ArrayList<>();
        for (BasicFeePeriod period : queries.periodsOverlapping(tenant, from, until)) {
            String name = catalog.basicFee(period.plan).map(Catalog.BasicFeePlan::name).orElse(period.plan);
            items.add(new StatementCalculator.Item("BASIC_FEE", period.plan, "Basic fee " + name, period.plan,
                    period.monthlyNetPrice, period.startsAt, period.endsAt, false));
        }
        for (ContractLine line : queries.linesOverlapping(tenant, from, until)) {
            String name = catalog.rate(line.rate).map(Catalog.Rate::name).orElse(line.rate);
            items.add(new StatementCalculator.Item("MAILBOX", line.mailboxId.toString(), "Mailbox " + line.address
                    + " (" + name + ")", line.rate, line.monthlyNetPrice, line.startsAt, line.endsAt, true));
        }
        List<StatementCalculator.Line> lines = StatementCalculator.lines(items, month, zone);
        var billingAddress = queries.billingAddress(tenant).orElse(null);
        StatementCalculator.Totals totals = StatementCalculator.totals(lines, vatPercent(billingAddress));
        return new ContractViews.Statement(tenant, month.toString(), catalog.currency(),
                queries.contract(tenant).map(c -> c.revision).orElse(0),
                lines.stream().map(ContractViews.StatementLine::of).toList(), money(totals.net()),
                vat(billingAddress, totals), money(totals.gross()));
    }

    @GET
    @Path("/billing-address")
    public ContractViews.BillingAddressView billingAddress() {
        return queries.billingAddress(caller.tenantId()).map(ContractResource::view)
                .orElseThrow(() -> new dev.mailops.kit.errors.NotFoundException("No billing address yet"));
    }

    @PUT
    @Path("/billing-address")
    @RolesAllowed("admin")
    @Transactional
    public ContractViews.BillingAddressView setBillingAddress(BillingAddressInput input) {
        if (input == null) {
            throw ValidationException.of("body", "a JSON object is required");
        }
        FieldErrors errors = new FieldErrors();
        String company = errors.check("company", () -> text(input.company(), 200));
        String street = errors.check("street", () -> text(input.street(), 200));
        String postalCode = errors.check("postalCode", () -> text(input.postalCode(), 20));
        String city = errors.check("city", () -> text(input.city(), 100));
        String country = errors.check("country", () -> country(input.country()));
        String email = errors.check("email", () -> email(input.email()));
        String vatId = input.vatId() == null || input.vatId().isBlank() ? null
                : errors.check("vatId", () -> vatId(input.vatId()));
        errors.throwIfAny();
        BillingAddress address = entityManager.find(BillingAddress.class, caller.tenantId());
        if (address == null) {
            address = new BillingAddress();
            address.tenantId = caller.tenantId();
            fill(address, company, street, postalCode, city, country, email, vatId);
            entityManager.persist(address);
        } else {
            fill(address, company, street, postalCode, city, country, email, vatId);
        }
        return view(address);
    }

    private static void fill(BillingAddress address, String company, String street, String postalCode, String city,
            String country, String email, String vatId) {
        address.company = company;
        address.street = street;
        address.postalCode = postalCode;
        address.city = city;
        address.country = country;
        address.email = email;
        address.vatId = vatId;
        address.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private BigDecimal vatPercent(BillingAddress address) {
        return vatRates.percent(country(address)).orElseThrow();
    }

    private String country(BillingAddress address) {
        return address == null ? vatRates.defaultCountry() : address.country;
    }

    private ContractViews.Vat vat(BillingAddress address, StatementCalculator.Totals totals) {
        return new ContractViews.Vat(country(address), totals.vatPercent(), money(totals.vat()));
    }

    private static ContractViews.BillingAddressView view(BillingAddress a) {
        return new ContractViews.BillingAddressView(a.company, a.street, a.postalCode, a.city, a.country, a.email,
                a.vatId, a.updatedAt);
    }

    private static String text(String value, int max) {
        if (value == null || value.isBlank()) {
            throw new InvalidValueException("must not be blank");
        }
        String stripped = value.strip();
        if (stripped.length() > max || stripped.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidValueException("must be at most " + max + " characters without control characters");
        }
        return stripped;
    }

    private String country(String value) {
        String code = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
        if (vatRates.percent(code).isEmpty()) {
            throw new InvalidValueException("must be one of the countries billed from: " + vatRates.all().keySet());
        }
        return code;
    }

    private static String email(String value) {
        String stripped = value == null ? "" : value.strip();
        if (stripped.length() > 254 || !EMAIL.matcher(stripped).matches()) {
            throw new InvalidValueException("must be an email address such as billing@example.com");
        }
        return stripped;
    }

    private static String vatId(String value) {
        String id = value.replace(" ", "").toUpperCase(Locale.ROOT);
        if (!VAT_ID.matcher(id).matches()) {
            throw new InvalidValueException("must be a VAT identification number such as DE123456789");
        }
        return id;
    }
}
