package dev.mailops.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;


import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
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
 * The admin console in Debian's headless Chromium, as an admin uses it: log in, add a domain, create
 * a mailbox and aliases through the dialog up to the rate's limit, change the mailbox's rate (up, and
 * refused back down below its aliases) and its password (the policy's field errors, then a good one),
 * delete the mailbox, look at DNS, contract and the live events. Screenshots of each screen land in target/screenshots.
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
                "--window-size=1400,1000", "--user-data-dir=" + Files.createTempDirectory("chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver")).toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anAdminManagesMailboxesAsTheManualDescribes() {
        String tenant = "c-" + UUID.randomUUID().toString().substring(0, 8);
        String domain = tenant + ".de";
        Onboarding.tenant(tenant, tenant + "-admin", "Ada Admin", "Correct-Horse-9");

        browser.get(console.toString());
        type("login-username", tenant + "-admin");
        type("login-password", "Correct-Horse-9");
        screenshot("01-login");
        click("login-submit");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));

        click("nav-domains");
        type("new-domain", domain);
        browser.findElement(By.cssSelector("#add-domain-form button")).click();
        WebElement listed = wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#domain-list li[data-domain='" + domain + "']")));
        listed.click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("dns-records")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dns-records"), "mbo0001._domainkey"));
        assertThat(browser.findElement(By.id("domain-detail")).getText()).contains("993", "STARTTLS", "mail." + domain);
        // this deployment (the mail provider's DKIM records) has no keys of its own: the panel says so
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dkim-panel"), "not enabled"));
        assertThat(browser.findElements(By.id("dkim-rotate"))).isEmpty();
        // the shared test set asks for no proof (policy none): the domain is verified when registered
        assertThat(browser.findElement(By.id("domain-verification")).getText()).contains("Verified", "no proof");
        assertThat(browser.findElements(By.id("verify-domain"))).isEmpty();
        screenshot("02-domain-dns");
        // a reserved name is refused, and the console says why
        type("new-domain", "printer.localhost");
        browser.findElement(By.cssSelector("#add-domain-form button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("domain-error"), "reserved"));

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
        assertThat(browser.findElement(By.id("create-dialog")).getText()).contains("All prices shown are subject to VAT");
        screenshot("03-create-mailbox");
        click("create-submit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("mailboxes"), "anna@" + domain));

        for (String alias : List.of("sales", "info", "support", "extra")) {
            click("open-create");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("create-dialog")));
            click("kind-alias");
            type("f-localPart", alias);
            new Select(browser.findElement(By.id("f-domain"))).selectByValue(domain);
            click("create-submit");
            if (!alias.equals("extra")) {
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("mailboxes"), alias + "@" + domain));
            }
        }
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("create-error"), "allows 3 aliases"));
        screenshot("04-alias-limit");
        click("create-cancel");
        assertThat(browser.findElement(By.id("mailboxes")).getText()).contains("3 of 3 aliases");
        screenshot("05-email-settings");

        // A higher rate lets the mailbox have the fourth alias; back to the lower one is refused with the count.
        mailboxAction("change-rate");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("rate-dialog")));
        assertThat(browser.findElement(By.cssSelector("#rate-options input[value='MAIL_LIGHT']")).isSelected()).isTrue();
        assertThat(browser.findElement(By.id("rate-options")).getText()).contains("Mail Standard", "up to 25 aliases");
        browser.findElement(By.cssSelector("#rate-options input[value='MAIL_STANDARD']")).click();
        screenshot("06-change-rate");
        click("rate-submit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("mailboxes"), "3 of 25 aliases"));
        assertThat(browser.findElement(By.id("mailboxes")).getText()).contains("Mail Standard");
        assertThat(browser.findElement(By.id("notice")).getText()).contains("anna@" + domain, "Mail Standard");
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
        assertThat(browser.findElement(By.id("rate-error")).getText()).contains("MAIL_LIGHT", "allows 3");
        screenshot("07-rate-alias-limit");
        click("rate-cancel");
        assertThat(browser.findElement(By.id("mailboxes")).getText()).contains("Mail Standard", "4 of 25 aliases");

        // The password policy's field errors, then a good password.
        mailboxAction("change-password");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("password-dialog")));
        assertThat(browser.findElement(By.id("password-address")).getText()).isEqualTo("anna@" + domain);
        type("p-password", "short");
        type("p-passwordConfirmation", "different");
        click("password-submit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("password-field-errors"), "password"));
        assertThat(browser.findElement(By.id("password-field-errors")).getText())
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

        browser.findElement(By.cssSelector("#mailboxes button.delete")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("delete-dialog")));
        assertThat(browser.findElement(By.id("delete-dialog")).getText())
                .contains("Emails can no longer be accessed after deleting a mailbox");
        screenshot("10-delete-warning");
        click("delete-confirm");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("mailboxes"), "No mailboxes yet"));

        click("open-basic-fee");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("fee-dialog")));
        browser.findElement(By.cssSelector("#fee-plans input[value='BUSINESS_SUPPORT']")).click();
        screenshot("11-basic-fee");
        click("fee-submit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("basic-fee-line"), "Business Support"));

        click("nav-contract");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("revisions"), "Basic fee changed"));
        assertThat(browser.findElement(By.id("revisions")).getText())
                .contains("anna@" + domain + " changed from rate MAIL_LIGHT to MAIL_STANDARD");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("statement"), "Gross"));
        screenshot("12-contract");

        click("nav-events");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("event-feed"), "FeeChanged"));
        assertThat(browser.findElement(By.id("event-feed")).getText())
                .contains("MailboxDeleted", "AliasAdded", "RateChanged", "PasswordChanged");
        screenshot("13-events");
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

    static void screenshot(String name) {
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
