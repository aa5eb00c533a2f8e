package dev.mailops.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;


import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.mailops.testinfra.LocalInfrastructure;
import dev.mailops.testinfra.TestInfrastructure;

/**
 * The admin console in Debian's headless Chromium, as an admin uses it: log in, add a domain and the tenant's own
 * TXT and SPF records, create a mailbox and aliases up to the rate's limit (the detail view warns before it is hit),
 * set up an email account (SSL/TLS, STARTTLS, none with its warning), read the mailbox's history, change its rate
 * (up, and refused back down below its aliases) and its password, remove an alias from the keyboard, delete the
 * mailbox, set the billing address and change the basic fee (the confirmation mail's address shown), create and
 * disable a user, watch the live events; then the same in German. Every screen is checked with axe-core (no
 * serious or critical violation) and its screenshot lands in target/screenshots (the German ones as ...-de.png).
 */
@QuarkusTest
@QuarkusTestResource(value = TestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "gateway_test"))
@QuarkusTestResource(RunningServices.class)
class ConsoleBrowserIT {

    static final Path SCREENSHOTS = Path.of("target/screenshots");
    static ChromeDriver browser;
    static WebDriverWait wait;

    @TestHTTPResource("/console/")
    URL console;


    @BeforeAll
    static void openBrowser() throws IOException, InterruptedException {
        Process install = new ProcessBuilder("bash",
                LocalInfrastructure.repositoryRoot().resolve("infra/chromium.sh").toString()).inheritIO().start();
        assertThat(install.waitFor()).as("infra/chromium.sh makes Chromium and ChromeDriver available").isZero();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("chromium.binary", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1400,1000", "--accept-lang=en-US,en", "--user-data-dir=" + Files.createTempDirectory("chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver")).toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = waitUpTo(Duration.ofSeconds(20));
        Files.createDirectories(SCREENSHOTS);
    }

    /**
     * A wait that looks again every 50 ms, not Selenium's 500: the console answers within milliseconds, and
     * the default sleep added up to half a second to most of the test's hundred waits.
     */
    static WebDriverWait waitUpTo(Duration timeout) {
        WebDriverWait waiting = new WebDriverWait(browser, timeout, Duration.ofMillis(50));
        waiting.ignoring(StaleElementReferenceException.class);
        return waiting;
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    static final String FIRST_GERMAN_SCREEN = "13-events-de";

    @Test
    void anAdminManagesMailboxesAsTheManualDescribes() throws IOException {
        String tenant = "c-" + UUID.randomUUID().toString().substring(0, 8);
        String domain = tenant + ".de";
        String admin = tenant + "-admin";
        Onboarding.tenant(tenant, admin, "Ada Admin", "Correct-Horse-9");

        browser.get(console.toString());
        type("login-username", admin);
        type("login-password", "Correct-Horse-9");
        screenshot("01-login");
        click("login-submit");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));

        click("nav-domains");
        type("new-domain", domain);
        browser.findElement(By.cssSelector("#add-domain-form button")).click();
        openDomain(domain);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("dns-records")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dns-records"), "mbo0001._domainkey"));
        waitForText("domain-detail", "993", "STARTTLS", "mail." + domain);
        // this deployment (the mail provider's DKIM records) has no keys of its own: the panel says so
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dkim-panel"), "not enabled"));
        assertThat(browser.findElements(By.id("dkim-rotate"))).isEmpty();
        // the shared test set asks for no proof (policy none): the domain is verified when registered
        waitForText("domain-verification", "Verified", "no proof");
        assertThat(browser.findElements(By.id("verify-domain"))).isEmpty();
        screenshot("02-domain-dns");
        // a reserved name is refused, and the console says why
        type("new-domain", "printer.localhost");
        browser.findElement(By.cssSelector("#add-domain-form button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("domain-error"), "reserved"));

        // The domain assistant: a TXT record of the tenant's own (source and target), deleted again; the SPF of an
        // external mail server, which dns-service serves merged into the one SPF record.
        type("txt-source", "s1._domainkey");
        type("txt-value", "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC1 <img src=x id=injected>");
        click("txt-add");
        WebElement added = wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath(
                "//table[@id='dns-records']//tr[@data-managed-by='TENANT'][td[1]='s1._domainkey']")));
        // the record's markup is shown as its text: nothing from the API is parsed as HTML
        assertThat(added.getText()).contains("TXT", "v=DKIM1; k=rsa", "<img src=x id=injected>");
        assertThat(browser.findElements(By.id("injected"))).isEmpty();
        type("spf-value", "v=spf1 include:_spf.shopsystem.example -all");
        click("spf-save");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath(
                "//table[@id='dns-records']//tr[@data-managed-by='TENANT'][td[1]='@']")));
        assertThat(browser.findElement(By.id("spf-value")).getAttribute("value"))
                .isEqualTo("v=spf1 include:_spf.shopsystem.example -all");
        type("spf-value", "v=spf1 bogus:term -all");
        click("spf-save");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("spf-error"), "bogus"));
        assertThat(browser.findElement(By.id("spf-value")).getAttribute("value")).contains("bogus");
        assertThat(tenantRecords()).as("the refused SPF left the previous one in place").anySatisfy(
                row -> assertThat(row).contains("v=spf1 include:_spf.shopsystem.example -all"));
        browser.executeScript("document.getElementById('txt-records').scrollIntoView()");
        screenshot("02b-domain-assistant");
        browser.findElement(By.xpath("//table[@id='dns-records']//tr[td[1]='s1._domainkey']//button")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.xpath(
                "//table[@id='dns-records']//tr[td[1]='s1._domainkey']")));
        assertThat(tenantRecords()).hasSize(1);

        click("nav-email");
        click("open-create");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("create-dialog")));
        assertThat(browser.findElement(By.id("f-keepCopy")).isEnabled()).as("only with forwarding").isFalse();
        type("f-localPart", "anna");
        new Select(browser.findElement(By.id("f-domain"))).selectByValue(domain);
        type("f-firstName", "Anna");
        type("f-lastName", "Berg");
        type("f-forwardTo", "backoffice@elsewhere.example");
        assertThat(browser.findElement(By.id("f-keepCopy")).isEnabled()).isTrue();
        click("f-keepCopy");
        type("f-password", "Correct-Horse-9");
        type("f-passwordConfirmation", "Correct-Horse-9");
        new Select(browser.findElement(By.id("f-rate"))).selectByValue("MAIL_LIGHT");
        assertThat(textOf("create-dialog")).contains("All prices shown are subject to VAT");
        screenshot("03-create-mailbox");
        click("create-submit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("mailboxes"), "anna@" + domain));

        // Two aliases through the dialog; the target is searched for across all the tenant's mailboxes.
        for (String alias : List.of("sales", "info")) {
            click("open-create");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("create-dialog")));
            click("kind-alias");
            type("f-target-search", "anna@");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("f-target"), "anna@" + domain));
            type("f-localPart", alias);
            new Select(browser.findElement(By.id("f-domain"))).selectByValue(domain);
            click("create-submit");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("mailboxes"), alias + "@" + domain));
        }

        // The mailbox's detail: its fields, the alias limit ahead (one more), the account setup, its history.
        browser.findElement(By.linkText("anna@" + domain)).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("mailbox-detail")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-history"), "Alias info@" + domain + " added"));
        assertThat(textOf("detail-fields")).contains("Anna", "Berg", "backoffice@elsewhere.example", admin);
        assertThat(textOf("alias-limit-warning")).contains("One more alias is possible", "allows 3");
        assertThat(textOf("detail-history"))
                .contains("Mailbox created with the rate Mail Light", "Alias sales@" + domain + " added", admin);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#setup-table tr[data-server-type='IMAP'] .port"), "993"));
        assertThat(browser.findElement(By.id("setup-warning")).isDisplayed()).isFalse();
        click("security-starttls");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#setup-table tr[data-server-type='IMAP'] .port"), "143"));
        assertThat(textOf("setup-note")).contains("older email programs");
        click("security-unencrypted");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("setup-warning")));
        assertThat(textOf("setup-warning")).contains("can be read by third parties");
        assertThat(textOf("setup-table")).contains("mail." + domain, "none");
        screenshot("04a-mailbox-detail");
        // the third alias from the detail view: the limit is reached, and the view says so before anyone tries a fourth
        type("a-localPart", "support");
        click("alias-add");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("alias-limit-warning"), "alias limit is reached"));
        assertThat(textOf("detail-aliases")).contains("support@" + domain);
        assertThat(browser.findElement(By.id("alias-add")).isEnabled()).isFalse();

        click("open-create");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("create-dialog")));
        click("kind-alias");
        type("f-localPart", "extra");
        new Select(browser.findElement(By.id("f-domain"))).selectByValue(domain);
        click("create-submit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("create-error"), "allows 3 aliases"));
        screenshot("04-alias-limit");
        click("create-cancel");
        assertThat(textOf("mailboxes")).contains("3 of 3 aliases");
        screenshot("05-email-settings");

        // A higher rate lets the mailbox have the fourth alias; back to the lower one is refused with the count.
        mailboxAction("change-rate");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("rate-dialog")));
        assertThat(browser.findElement(By.cssSelector("#rate-options input[value='MAIL_LIGHT']")).isSelected()).isTrue();
        assertThat(textOf("rate-options")).contains("Mail Standard", "up to 25 aliases");
        browser.findElement(By.cssSelector("#rate-options input[value='MAIL_STANDARD']")).click();
        screenshot("06-change-rate");
        click("rate-submit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("mailboxes"), "3 of 25 aliases"));
        assertThat(textOf("mailboxes")).contains("Mail Standard");
        assertThat(textOf("notice")).contains("anna@" + domain, "Mail Standard");
        click("open-create");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("create-dialog")));
        click("kind-alias");
        type("f-localPart", "extra");
        new Select(browser.findElement(By.id("f-domain"))).selectByValue(domain);
        click("create-submit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("mailboxes"), "4 of 25 aliases"));
        mailboxAction("change-rate");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("rate-dialog")));
        browser.findElement(By.cssSelector("#rate-options input[value='MAIL_LIGHT']")).click();
        click("rate-submit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rate-error"), "has 4 aliases"));
        assertThat(textOf("rate-error")).contains("MAIL_LIGHT", "allows 3");
        screenshot("07-rate-alias-limit");
        click("rate-cancel");
        assertThat(textOf("mailboxes")).contains("Mail Standard", "4 of 25 aliases");

        // The password policy's field errors, then a good password.
        mailboxAction("change-password");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("password-dialog")));
        assertThat(textOf("password-address")).isEqualTo("anna@" + domain);
        type("p-password", "short");
        type("p-passwordConfirmation", "different");
        click("password-submit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("password-field-errors"), "password"));
        assertThat(textOf("password-field-errors"))
                .contains("password:", "passwordConfirmation:");
        assertThat(browser.findElement(By.id("p-password")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findElement(By.id("p-passwordConfirmation")).getAttribute("aria-invalid")).isEqualTo("true");
        screenshot("08-password-policy");
        type("p-password", "Another-Horse-7");
        type("p-passwordConfirmation", "Another-Horse-7");
        click("password-submit");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("password-dialog")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "password of anna@" + domain));
        screenshot("09-password-changed");

        // An alias removed in the detail view, from the keyboard only: focus moves into the dialog, Escape closes it and
        // focus returns to the button; then confirmed, with the manual's 48 hours.
        WebElement remove = wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#detail-aliases li[data-alias='extra@" + domain + "'] button")));
        remove.sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("alias-dialog")));
        assertThat(focusedIsInside("alias-dialog")).as("focus moved into the dialog").isTrue();
        assertThat(textOf("alias-dialog")).contains("extra@" + domain, "48 hours");
        screenshot("09a-remove-alias");
        browser.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("alias-dialog")));
        assertThat(browser.switchTo().activeElement().getText()).as("focus returned to the opener").isEqualTo("Remove");
        browser.switchTo().activeElement().sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("alias-dialog")));
        click("alias-confirm");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("mailboxes"), "3 of 25 aliases"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-history"), "Alias extra@" + domain + " removed"));
        assertThat(textOf("notice")).contains("extra@" + domain, "48 hours");

        browser.findElement(By.cssSelector("#mailboxes button.delete")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("delete-dialog")));
        assertThat(textOf("delete-dialog"))
                .contains("Emails can no longer be accessed after deleting a mailbox", "48 hours");
        screenshot("10-delete-warning");
        click("delete-confirm");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("mailboxes"), "No mailboxes yet"));
        assertThat(browser.findElement(By.id("mailbox-detail")).isDisplayed()).isFalse();

        // The billing address, where the fee-change mail goes; the fee dialog says so before and after the change.
        click("nav-contract");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("statement"), "Gross"));
        type("b-company", "Berg Shop GmbH");
        type("b-street", "Hauptstraße 1");
        type("b-postalCode", "10115");
        type("b-city", "Berlin");
        new Select(browser.findElement(By.id("b-country"))).selectByValue("DE");
        type("b-email", "billing@" + domain);
        click("billing-submit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("billing-saved"), "billing@" + domain));
        click("nav-email");
        click("open-basic-fee");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("fee-dialog")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("fee-mail"), "billing@" + domain));
        assertThat(textOf("fee-dialog")).contains("Your contract will be updated");
        browser.findElement(By.cssSelector("#fee-plans input[value='BUSINESS_SUPPORT']")).click();
        screenshot("11-basic-fee");
        click("fee-submit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("basic-fee-line"), "Business Support"));
        assertThat(textOf("basic-fee-line")).contains("€4.90");
        assertThat(textOf("notice")).contains("contract was updated", "billing@" + domain);

        click("nav-contract");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("revisions"), "Basic fee changed"));
        assertThat(textOf("revisions"))
                .contains("anna@" + domain + " changed from rate MAIL_LIGHT to MAIL_STANDARD");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("statement"), "Gross"));
        screenshot("12-contract");

        // Users: one created with its role, then disabled.
        click("nav-users");
        type("u-username", tenant + "-clerk");
        type("u-displayName", "Carl Clerk");
        type("u-password", "Correct-Horse-9");
        click("user-submit");
        By clerk = By.cssSelector("#users tr[data-username='" + tenant + "-clerk']");
        wait.until(ExpectedConditions.presenceOfElementLocated(clerk));
        assertThat(browser.findElement(clerk).getText()).contains("Carl Clerk", "user", "enabled");
        browser.findElement(clerk).findElement(By.tagName("button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(clerk, "disabled"));
        screenshot("12a-users");

        // Migration: a CSV file checked (nothing written), then imported as a job with its progress, then exported.
        click("nav-migration");
        Path csv = writeCsv("localPart,domain,firstName,lastName,systemUserId,rate,forwardTo,keepCopy,aliases,password,passwordHash\n"
                + "moved," + domain + ",Mona,Umzug," + admin + ",MAIL_LIGHT,,false,umzug@" + domain + ",Correct-Horse-9,\n"
                + "broken,not-" + domain + ",Bo,Ken," + admin + ",MAIL_LIGHT,,false,,Correct-Horse-9,\n");
        browser.findElement(By.id("import-file")).sendKeys(csv.toString());
        click("import-check");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("import-summary"), "Checked 2 lines"));
        assertThat(textOf("import-summary")).contains("1 to create", "1 with errors");
        assertThat(textOf("import-lines")).contains("broken@not-" + domain, "domain");
        click("import-start");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("import-error"), "Nothing was imported"));
        screenshot("12b-migration-check");
        browser.findElement(By.id("import-file")).sendKeys(writeCsv(Files.readAllLines(csv).get(0) + "\n"
                + Files.readAllLines(csv).get(1) + "\n").toString());
        click("import-start");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("import-summary"), "Import finished: 1 created"));
        assertThat(browser.findElement(By.id("import-progress")).getAttribute("value")).isEqualTo("1");
        click("export-csv");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("export-link")));
        assertThat(browser.findElement(By.id("export-link")).getAttribute("href")).startsWith("blob:");
        assertThat(textOf("export-link")).matches("mailboxes\\.csv \\(\\d+ mailboxes\\).*");
        // What the link holds is the export's answer: the imported mailbox, without any secret.
        assertThat(io.restassured.RestAssured.given().header("Authorization", "Bearer " + Onboarding.login(admin, "Correct-Horse-9"))
                .get("/api/v1/exports/mailboxes.csv").then().statusCode(200).extract().asString())
                .contains("moved," + domain + ",Mona,Umzug", "umzug@" + domain).doesNotContain("Correct-Horse-9", "ARGON2");
        screenshot("12c-migration-imported");

        click("nav-events");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("event-feed"), "FeeChanged"));
        assertThat(textOf("event-feed"))
                .contains("MailboxDeleted", "AliasAdded", "AliasRemoved", "RateChanged", "PasswordChanged");
        screenshot("13-events");

        inGerman(tenant, domain);
        ownPassword(admin);
    }

    /**
     * The admin changes its own password: a repetition that differs and a wrong current password are refused by
     * name; then every session ends, the console says so on the login screen, and only the new password logs in.
     */
    /**
     * The element's text, found again if the console redrew it in between: it redraws a view when the
     * live feed brings an event for it, and a text read from the replaced element fails as stale.
     */
    static String textOf(String id) {
        return wait.until(driver -> driver.findElement(By.id(id)).getText());
    }

    /** Waits until the element, as often as it is redrawn, shows every part. */
    private static void waitForText(String id, String... parts) {
        wait.until(driver -> Arrays.stream(parts).allMatch(driver.findElement(By.id(id)).getText()::contains));
    }

    private static void ownPassword(String admin) {
        type("login-username", admin);
        type("login-password", "Correct-Horse-9");
        click("login-submit");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));
        click("own-password");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("account-dialog")));
        assertThat(focusedIsInside("account-dialog")).as("focus moves into the dialog").isTrue();
        assertThat(textOf("account-for")).contains(admin);
        type("a-currentPassword", "Correct-Horse-9");
        type("a-newPassword", "Battery-Staple-10");
        type("a-newPasswordRepeat", "Battery-Staple-11");
        click("account-submit");
        wait.until(ExpectedConditions.attributeToBe(By.id("a-newPasswordRepeat"), "aria-invalid", "true"));
        type("a-currentPassword", "Wrong-Horse-9");
        type("a-newPasswordRepeat", "Battery-Staple-10");
        click("account-submit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("account-field-errors"),
                "currentPassword: is not the current password"));
        assertThat(browser.findElement(By.id("a-currentPassword")).getAttribute("aria-invalid")).isEqualTo("true");
        screenshot("23-own-password");
        type("a-currentPassword", "Correct-Horse-9");
        click("account-submit");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-notice")));
        assertThat(textOf("login-notice")).contains("every session of yours has ended");
        screenshot("23-own-password-changed");
        assertThat(io.restassured.RestAssured.given().contentType("application/json")
                .body(Map.of("username", admin, "password", "Correct-Horse-9")).post("/api/v1/auth/login").statusCode())
                .isEqualTo(401);

        new Select(browser.findElement(By.id("login-language"))).selectByValue("de");
        wait.until(ExpectedConditions.textToBe(By.id("login-submit"), "Anmelden"));
        type("login-username", admin);
        type("login-password", "Battery-Staple-10");
        click("login-submit");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));
        click("own-password");
        wait.until(ExpectedConditions.textToBe(By.id("account-title"), "Mein Passwort ändern"));
        screenshot("23-own-password-de");
        type("a-currentPassword", "Battery-Staple-10");
        type("a-newPassword", "Correct-Horse-9");
        type("a-newPasswordRepeat", "Correct-Horse-9");
        click("account-submit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-notice"), "Ihr Passwort wurde geändert"));
        screenshot("23-own-password-changed-de");
    }

    /**
     * The same tenant in German, switched in the header: labels, money and dates per locale, the choice kept over a
     * reload; without a choice the console follows the browser's languages.
     */
    private void inGerman(String tenant, String domain) {
        new Select(browser.findElement(By.id("language"))).selectByValue("de");
        wait.until(ExpectedConditions.textToBe(By.id("nav-email"), "E-Mail-Einstellungen"));
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("de");
        assertThat(textOf("events-heading")).contains("Ereignisse");
        screenshot("13-events-de");

        click("nav-email");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("basic-fee-line"), "Grundgebühr: Business Support (4,90 €"));
        click("open-create");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("create-dialog")));
        assertThat(textOf("create-dialog"))
                .contains("Postfach erstellen", "Alle angezeigten Preise zzgl. MwSt.", "1,00 € netto pro Monat");
        type("f-localPart", "berta");
        new Select(browser.findElement(By.id("f-domain"))).selectByValue(domain);
        type("f-firstName", "Berta");
        type("f-lastName", "Kühn");
        type("f-password", "Correct-Horse-9");
        type("f-passwordConfirmation", "Correct-Horse-9");
        screenshot("03-create-mailbox-de");
        click("create-submit");
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText("berta@" + domain))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-history"), "Postfach mit dem Tarif"));
        click("security-unencrypted");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("setup-warning")));
        assertThat(textOf("setup-warning")).contains("von Dritten mitgelesen");
        assertThat(textOf("mailboxes")).contains("0 von 3 Aliassen");
        screenshot("04a-mailbox-detail-de");
        browser.findElement(By.cssSelector("#mailboxes button.delete")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("delete-dialog")));
        assertThat(textOf("delete-dialog")).contains("48 Stunden");
        screenshot("10-delete-warning-de");
        click("delete-cancel");
        mailboxAction("change-password");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("password-dialog")));
        type("p-password", "short");
        type("p-passwordConfirmation", "different");
        click("password-submit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("password-field-errors"), "password"));
        assertThat(textOf("password-title")).isEqualTo("Passwort ändern");
        screenshot("08-password-policy-de");
        type("p-password", "Another-Horse-8");
        type("p-passwordConfirmation", "Another-Horse-8");
        click("password-submit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "wurde geändert"));
        screenshot("09-password-changed-de");
        mailboxAction("change-rate");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("rate-dialog")));
        assertThat(textOf("rate-dialog"))
                .contains("Tarif ändern", "3,00 € netto pro Monat", "bis zu 25 Aliasse");
        screenshot("06-change-rate-de");
        click("rate-cancel");
        click("open-basic-fee");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("fee-dialog")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("fee-mail"), "billing@" + domain));
        assertThat(textOf("fee-dialog"))
                .contains("Grundgebühr wählen", "14,90 € netto pro Monat", "Ihr Vertrag wird aktualisiert");
        screenshot("11-basic-fee-de");
        click("fee-cancel");

        click("nav-domains"); // the domain chosen before is shown again
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("domain-detail"), "Einstellungen für einen externen Mailserver"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dns-records"), "Anbieter"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dns-records"), "Quelle"));
        screenshot("02-domain-dns-de");
        browser.executeScript("document.getElementById('txt-records').scrollIntoView()");
        screenshot("02b-domain-assistant-de");

        click("nav-contract");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("statement"), "Brutto"));
        assertThat(textOf("statement")).containsPattern("\\d{2}\\.\\d{2}\\.\\d{4}").contains(" €");
        assertThat(textOf("revisions")).containsPattern("\\d{2}\\.\\d{2}\\.\\d{4}, \\d{2}:\\d{2}")
                .contains("netto pro Monat");
        assertThat(textOf("contract")).contains("Grundgebühr", "4,90 €");
        assertThat(textOf("contract-view")).contains("Rechnungsadresse", "Monatsabrechnung");
        screenshot("12-contract-de");
        click("nav-users");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("users"), "deaktiviert"));
        screenshot("12a-users-de");
        click("nav-migration");
        wait.until(ExpectedConditions.textToBe(By.id("import-check"), "Datei prüfen"));
        screenshot("12b-migration-de");
        browser.findElement(By.id("import-file")).sendKeys(writeCsv(
                "localPart,domain,firstName,lastName,systemUserId,rate,forwardTo,keepCopy,aliases,password,passwordHash\n"
                + "umzug2," + domain + ",Uwe,Umzug," + tenant + "-admin,MAIL_LIGHT,,false,,Correct-Horse-9,\n"
                + "kaputt,nicht-" + domain + ",Karl,Kaputt," + tenant + "-admin,MAIL_LIGHT,,false,,Correct-Horse-9,\n").toString());
        click("import-check");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("import-summary"), "2 Zeilen geprüft"));
        screenshot("12b-migration-check-de");

        // The choice is remembered over a reload.
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBe(By.id("nav-contract"), "Vertrag"));
        // Without a choice, the browser's languages decide.
        browser.executeScript("localStorage.removeItem('mailops.language')");
        acceptLanguage("en-US,en");
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBe(By.id("nav-contract"), "Contract"));
        acceptLanguage("de-AT,de");
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBe(By.id("nav-contract"), "Vertrag"));
        click("logout");
        wait.until(ExpectedConditions.textToBe(By.id("login-submit"), "Anmelden"));
        screenshot("01-login-de");

        // The operator's screen, in both languages.
        type("login-username", Onboarding.OPERATOR);
        type("login-password", Onboarding.OPERATOR_PASSWORD);
        click("login-submit");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#tenants tr[data-id='" + tenant + "']")));
        assertThat(textOf("tenants-view")).contains("Mandanten", "Mandant erstellen", "aktiv");
        screenshot("22-tenants-de");
        new Select(browser.findElement(By.id("language"))).selectByValue("en");
        wait.until(ExpectedConditions.textToBe(By.id("nav-tenants"), "Tenants"));
        assertThat(browser.findElement(By.cssSelector("#tenants tr[data-id='" + tenant + "']")).getText()).contains("enabled");
        screenshot("22-tenants");
        click("logout");
    }

    /** The browser's own language preference (navigator.languages), as its settings would give it. */
    private static void acceptLanguage(String languages) {
        browser.executeCdpCommand("Emulation.setUserAgentOverride", Map.of("userAgent",
                browser.executeScript("return navigator.userAgent"), "acceptLanguage", languages));
    }

    private static List<String> tenantRecords() {
        return browser.findElements(By.cssSelector("#dns-records tr[data-managed-by='TENANT']")).stream()
                .map(WebElement::getText).toList();
    }

    private static boolean focusedIsInside(String dialog) {
        return (Boolean) browser.executeScript("return document.getElementById(arguments[0]).contains(document.activeElement)", dialog);
    }

    /** Clicks the domain in the list; the list may be drawn again meanwhile (the view reads the domains anew). */
    static void openDomain(String domain) {
        By button = By.cssSelector("#domain-list li[data-domain='" + domain + "'] button");
        waitUpTo(Duration.ofSeconds(20)).until(driver -> {
            WebElement clickable = ExpectedConditions.elementToBeClickable(button).apply(driver);
            if (clickable != null) {
                clickable.click();
            }
            return clickable != null;
        });
    }

    private static Path writeCsv(String content) {
        try {
            Path file = Files.createTempFile("mailboxes", ".csv");
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Clicks the button of the first mailbox in the list, e.g. "change-rate". */
    private static void mailboxAction(String button) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#mailboxes button." + button))).click();
    }

    static void type(String id, String text) {
        WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
        field.clear();
        field.sendKeys(text);
    }

    static void click(String id) {
        wait.until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
    }

    /**
     * Checks the screen with axe-core (no serious or critical violation), then saves its screenshot. A German
     * repeat of a screen has the English one's markup, roles and colours, only other texts (whose keys
     * ConsoleMessagesTest checks), so axe runs on the first German screen (the page's language) and not again
     * on each repeat.
     */
    static void screenshot(String name) {
        if (!name.endsWith("-de") || name.equals(FIRST_GERMAN_SCREEN)) {
            Axe.assertAccessible(browser, name);
        }
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
