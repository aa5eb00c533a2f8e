package dev.mailops.gateway;

import static dev.mailops.gateway.ConsoleBrowserIT.browser;
import static dev.mailops.gateway.ConsoleBrowserIT.click;
import static dev.mailops.gateway.ConsoleBrowserIT.screenshot;
import static dev.mailops.gateway.ConsoleBrowserIT.textOf;
import static dev.mailops.gateway.ConsoleBrowserIT.type;
import static dev.mailops.gateway.ConsoleBrowserIT.wait;
import static dev.mailops.gateway.ConsoleBrowserIT.waitUpTo;
import static dev.mailops.gateway.GatewayIT.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;


import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;


/**
 * The DKIM panel of the console in Debian's headless Chromium ({@link ConsoleBrowserIT}'s browser), on a
 * deployment with keys of its own that asks for proof of a domain ({@link DkimProfile}): the new domain is
 * pending with the exact TXT record to create, "Check now" before the record exists keeps it pending and says
 * why, and after the record is created it proves the domain; then the two selectors come up (one active, one
 * published standby, the next scheduled rotation), the admin rotates after the confirmation that explains
 * the order, a second rotation is refused until the fresh standby key is published, the old key retires
 * and its selector gets a fresh standby key; a plain user sees the keys without the button.
 */
@QuarkusTest
@TestProfile(DkimProfile.class)
class DkimConsoleBrowserIT {

    @TestHTTPResource("/console/")
    URL console;


    @BeforeAll
    static void openBrowser() throws IOException, InterruptedException {
        ConsoleBrowserIT.openBrowser();
    }

    @AfterAll
    static void closeBrowser() {
        ConsoleBrowserIT.closeBrowser();
    }

    @Test
    void anAdminSeesTheSelectorsAndRotatesTheKeys() {
        String tenant = "d-" + UUID.randomUUID().toString().substring(0, 8);
        String domain = tenant + ".de";
        Onboarding.tenant(tenant, tenant + "-admin", "Ada Admin", "Correct-Horse-9");
        String adminToken = Onboarding.login(tenant + "-admin", "Correct-Horse-9");
        Onboarding.user(adminToken, tenant + "-user", "Uli User", "Correct-Horse-9", List.of("user"));
        logIn(tenant + "-admin");

        // The new domain is pending, and the console names the exact record that proves it.
        click("nav-domains");
        type("new-domain", domain);
        browser.findElement(By.cssSelector("#add-domain-form button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#domain-list li[data-domain='" + domain + "']"), "pending"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("verify-domain"))); // the added domain is shown
        JsonPath registered = bearer(adminToken).get("/api/v1/domains/" + domain).then().statusCode(200)
                .body("state", equalTo("pending")).extract().jsonPath();
        String recordName = registered.getString("verification.record.name");
        String recordValue = registered.getString("verification.record.value");
        assertThat(recordName).isEqualTo("_mailops-verification." + domain);
        assertThat(recordValue).startsWith("mailops-verification=");
        assertThat(textOf("domain-verification")).contains("Pending", "TXT");
        assertThat(textOf("verification-name")).isEqualTo(recordName);
        assertThat(textOf("verification-value")).isEqualTo(recordValue);
        screenshot("19-domain-pending");

        // "Check now" before the record exists: still pending, and told which record was not found.
        click("verify-domain");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("verify-error"), "No TXT record"));
        assertThat(textOf("verify-error")).contains(recordValue, recordName);
        assertThat(textOf("domain-verification")).contains("Pending");
        screenshot("20-domain-not-proven");

        // The tenant creates the record at its DNS provider; "Check now" (from the keyboard) proves the domain.
        RunningServices.proofDns.serve(recordName, recordValue);
        browser.findElement(By.id("verify-domain")).sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("domain-verification"), "Verified"));
        assertThat(textOf("domain-verification")).contains("proven by its TXT record");
        String listed = wait.until(driver -> driver.findElement(
                By.cssSelector("#domain-list li[data-domain='" + domain + "']")).getText());
        assertThat(listed).doesNotContain("pending");
        bearer(adminToken).get("/api/v1/domains/" + domain).then().statusCode(200)
                .body("state", equalTo("verified")).body("verification.method", equalTo("dns-txt"));
        screenshot("21-domain-verified");

        // Usable: dns-service serves the proven zone, so the domain's DKIM keys get published and one signs.
        openDomain(domain);
        waitForState("mbo0001", "active");
        waitForState("mbo0002", "published");
        assertThat(textOf("dkim-panel"))
                .contains("mbo0001._domainkey", "mbo0002._domainkey", "Next scheduled rotation");
        showPanel();
        screenshot("14-dkim-keys");

        click("dkim-rotate");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dkim-dialog")));
        assertThat(textOf("dkim-dialog"))
                .contains("mbo0002", "already published", "stays published", "mbo0001");
        screenshot("15-dkim-rotate-confirmation");
        click("dkim-submit");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("dkim-dialog")));
        waitForState("mbo0002", "active");
        waitForState("mbo0001", "retiring");
        assertThat(textOf("dkim-notice")).contains("mbo0002 signs now", "stays published until");
        assertThat(retiresOf("mbo0001")).matches("\\d{2}/\\d{2}/\\d{4}, .*");
        showPanel();
        screenshot("16-dkim-rotated");

        // The old key is not replaced yet: the service refuses, and the dialog says why and when to retry.
        click("dkim-rotate");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dkim-dialog")));
        click("dkim-submit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dkim-retry"), "Try again"));
        assertThat(textOf("dkim-error")).isNotBlank();
        assertThat(textOf("dkim-standby-status")).contains("still holds the old key");
        screenshot("17-dkim-rotation-not-ready");
        click("dkim-cancel");

        // A plain user of the tenant sees the keys without the button (while the old key is still retiring).
        click("logout");
        logIn(tenant + "-user");
        click("nav-domains");
        openDomain(domain);
        waitForState("mbo0002", "active");
        assertThat(browser.findElements(By.id("dkim-rotate"))).as("only admins rotate").isEmpty();
        assertThat(textOf("dkim-panel")).contains("Only admins rotate keys");

        // After the TTL and the delivery delay (12 s here), mbo0001 gets a fresh key, published as the standby.
        waitUpTo(Duration.ofSeconds(120)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#dkim-selectors tr[data-selector='mbo0001'][data-state='published']")));
        assertThat(retiresOf("mbo0001")).isEqualTo("–");
        showPanel();
        screenshot("18-dkim-fresh-standby");

        inGerman(tenant, domain);
    }

    /**
     * The same screens in German: a second domain from pending through not proven to verified, then the first
     * domain's keys rotated again (its fresh standby is published), and the rotation that must wait.
     */
    private void inGerman(String tenant, String domain) {
        new Select(browser.findElement(By.id("language"))).selectByValue("de");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dkim-panel"), "Nur Admins rotieren Schlüssel."));
        assertThat(textOf("dkim-panel")).contains("DKIM-Schlüssel", "veröffentlicht", "aktiv");
        showPanel();
        screenshot("18-dkim-fresh-standby-de");
        click("logout");
        logIn(tenant + "-admin");

        String second = "zwei-" + domain;
        click("nav-domains");
        type("new-domain", second);
        browser.findElement(By.cssSelector("#add-domain-form button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#domain-list li[data-domain='" + second + "']"), "ausstehend"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("verify-domain")));
        assertThat(textOf("domain-verification")).contains("Ausstehend", "TXT");
        screenshot("19-domain-pending-de");
        click("verify-domain");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("verify-error"), "TXT"));
        screenshot("20-domain-not-proven-de");
        RunningServices.proofDns.serve(textOf("verification-name"),
                textOf("verification-value"));
        click("verify-domain");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("domain-verification"), "Bestätigt"));
        screenshot("21-domain-verified-de");

        openDomain(domain);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dkim-panel"), "mbo0001._domainkey." + domain));
        waitForState("mbo0001", "published");
        showPanel();
        screenshot("14-dkim-keys-de");
        click("dkim-rotate");
        wait.until(ExpectedConditions.textToBe(By.id("dkim-title"), "DKIM-Schlüssel rotieren"));
        screenshot("15-dkim-rotate-confirmation-de");
        click("dkim-submit");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("dkim-dialog")));
        waitForState("mbo0001", "active");
        assertThat(textOf("dkim-notice")).contains("Selektor mbo0001 signiert jetzt.");
        showPanel();
        screenshot("16-dkim-rotated-de");
        click("dkim-rotate");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dkim-dialog")));
        click("dkim-submit");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dkim-retry")));
        wait.until(driver -> !driver.findElement(By.id("dkim-retry")).getText().isBlank());
        screenshot("17-dkim-rotation-not-ready-de");
        click("dkim-cancel");
        click("logout");
    }

    /**
     * Scrolls the DKIM panel into the screenshot (it is below the DNS records and client settings). The script looks
     * the panel up itself: the console re-renders it when a key changes state, which would leave a located element stale.
     */
    private static void showPanel() {
        browser.executeScript("document.getElementById('dkim-panel').scrollIntoView()");
    }

    private void logIn(String username) {
        browser.get(console.toString());
        type("login-username", username);
        type("login-password", "Correct-Horse-9");
        click("login-submit");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));
    }

    private static void openDomain(String domain) {
        ConsoleBrowserIT.openDomain(domain);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("dkim-panel")));
    }

    /** Waits until the panel shows the selector in that state (keys are published within seconds here). */
    private static void waitForState(String selector, String state) {
        waitUpTo(Duration.ofSeconds(60)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#dkim-selectors tr[data-selector='" + selector + "'][data-state='" + state + "']")));
    }

    /** The selector's "retires" cell, read again if the panel is redrawn while it is read. */
    private static String retiresOf(String selector) {
        return wait.until(driver -> driver.findElement(By.cssSelector(
                "#dkim-selectors tr[data-selector='" + selector + "'] .retires")).getText());
    }
}
