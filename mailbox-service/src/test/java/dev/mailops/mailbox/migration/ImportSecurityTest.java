package dev.mailops.mailbox.migration;

import static dev.mailops.mailbox.Api.PASSWORD;
import static dev.mailops.mailbox.Api.admin;
import static dev.mailops.mailbox.Api.mailbox;
import static dev.mailops.mailbox.Api.newDomain;
import static dev.mailops.mailbox.Api.newTenant;
import static dev.mailops.mailbox.Api.registerDomain;
import static dev.mailops.mailbox.Api.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import dev.mailops.mailbox.messaging.CapturedLogs;

/** The doors of the migration import and export, one test each, each asserting the refusal. */
@QuarkusTest
class ImportSecurityTest extends ImportFixture {

    static final String BLF_CRYPT = "{BLF-CRYPT}$2y$10$soHbjwk7Am50hfEZ31ki/OKZRkHY3W5XIPpCp27kyi4uejMfYckIe";

    @Test
    void anotherTenantsJobIsNotFound() {
        String location = upload(tenant, HEADER + line("anna", domain, "Anna", List.of(), false, List.of(), PASSWORD, null))
                .then().statusCode(202).extract().header("Location");
        String other = newTenant();

        admin(other).get(location).then().statusCode(404).body("type", equalTo("/problems/not-found"));
        admin(other).get("/api/v1/imports/" + java.util.UUID.randomUUID()).then().statusCode(404);
        finished(tenant, location).then().body("created", equalTo(1));
    }

    @Test
    void aPlainUserMayNotImportNorDryRun() {
        String file = HEADER + line("anna", domain, "Anna", List.of(), false, List.of(), PASSWORD, null);

        csv(user(tenant), file).post("/api/v1/imports").then().statusCode(403);
        csv(user(tenant), file).queryParam("dryRun", true).post("/api/v1/imports").then().statusCode(403);

        assertThat(count("select count(*) from import_job where tenant_id = ?", tenant)).isZero();
        assertThat(mailboxes()).isZero();
    }

    @Test
    void aFileWithAnotherTenantsDomainWritesNothing() {
        String victim = newTenant();
        String victimDomain = newDomain();
        registerDomain(victim, victimDomain);
        long eventsBefore = events();
        String file = HEADER + line("anna", domain, "Anna", List.of(), false, List.of("postmaster@" + victimDomain), PASSWORD, null)
                + line("info", victimDomain, "Info", List.of(), false, List.of(), PASSWORD, null);

        upload(tenant, file).then().statusCode(400).body("type", equalTo("/problems/import-invalid"))
                .body("errors.field", hasItem("lines[2].aliases[0]")).body("errors.field", hasItem("lines[3].domain"));

        assertThat(events()).isEqualTo(eventsBefore);
        assertThat(count("select count(*) from import_job where tenant_id = ?", tenant)).isZero();
        assertThat(count("select count(*) from address_claim where address like ?", "%@" + victimDomain)).isZero();
    }

    @Test
    void formulaInjectionIsNeutralisedInTheExport() {
        Map<String, Object> body = mailbox("anna", domain, "MAIL_LIGHT");
        body.put("firstName", "=cmd|' /C calc'!A0");
        body.put("lastName", "@SUM(1+1)*cmd|' /C calc'!A0");
        body.put("systemUserId", "-2");
        body.put("forwardTo", List.of("+1@old-shop.example"));
        dev.mailops.mailbox.Api.knownUser(tenant, "-2"); // a user the gateway announced, with a formula-like id
        admin(tenant).body(body).post("/api/v1/mailboxes").then().statusCode(201);

        String exported = export(tenant);

        List<String> row = List.of(exported.lines().toList().get(1).split(","));
        assertThat(row).allSatisfy(cell -> assertThat(cell).doesNotMatch("^\"?[=+\\-@\\t\\r].*"));
        assertThat(exported).contains("'=cmd|' /C calc'!A0").contains("'@SUM(1+1)").contains("'-2").contains("'+1@old-shop.example");
        dryRun(tenant, exported).then().statusCode(200).body("unchanged", equalTo(1));
    }

    @Test
    void oversizedUploadsAreRefused() {
        String line = line("anna", domain, "Anna", List.of(), false, List.of(), PASSWORD, null);
        String tooLarge = HEADER + line.repeat(1_048_576 / line.length() + 1);
        String tooManyLines = HEADER + "a,b,c,d,e,f,,,,,\n".repeat(10_001);

        upload(tenant, tooLarge).then().statusCode(413).body("type", equalTo("/problems/file-too-large"));
        dryRun(tenant, tooLarge).then().statusCode(413);
        upload(tenant, tooManyLines).then().statusCode(400).body("errors[0].field", equalTo("file"));

        assertThat(count("select count(*) from import_job where tenant_id = ?", tenant)).isZero();
    }

    @Test
    void noPasswordOrHashInTheJobsResultLogsOrEvents() {
        String file = HEADER + line("anna", domain, "Anna", List.of(), false, List.of(), PASSWORD, null)
                + line("bert", domain, "Bert", List.of(), false, List.of(), null, BLF_CRYPT);
        Response done;
        List<String> logLines;
        try (CapturedLogs logs = CapturedLogs.start("dev.mailops", "io.smallrye.reactive.messaging", "io.quarkus")) {
            done = importAndWait(tenant, file);
            logLines = logs.lines();
        }

        done.then().body("created", equalTo(2));
        String secretFree = done.asString() + String.join("\n", logLines)
                + database.first("select string_agg(payload::text, ' ') from event_store where tenant_id = ?",
                        row -> row.getString(1), tenant).orElse(null)
                + database.first("select string_agg(l.mailbox::text, ' ') from import_line l"
                        + " join import_job j using (job_id) where j.tenant_id = ?", row -> row.getString(1), tenant)
                        .orElse(null);
        assertThat(secretFree).doesNotContain(PASSWORD).doesNotContain(BLF_CRYPT).doesNotContain("$2y$")
                .doesNotContain("argon2").doesNotContainIgnoringCase("passwordHash");
        assertThat(count("select count(*) from mailbox_credential c join mailbox_view m using (mailbox_id)"
                + " where m.tenant_id = ? and c.password_hash = ?", tenant, BLF_CRYPT)).as("the hash's one home").isOne();
    }
}
