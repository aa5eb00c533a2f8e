package dev.mailops.mailbox.migration;

import static dev.mailops.mailbox.Api.newDomain;
import static dev.mailops.mailbox.Api.newTenant;
import static dev.mailops.mailbox.Api.registerDomain;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import dev.mailops.kit.jdbc.Database;
import dev.mailops.mailbox.Api;

/** What the import tests share: a tenant of their own with a domain, CSV uploads, and waiting for a job's end. */
abstract class ImportFixture {

    static final String HEADER = String.join(",", MailboxCsv.COLUMNS) + "\n";

    @Inject
    Database database;

    String tenant;
    String domain;

    @BeforeEach
    void tenantWithDomain() {
        tenant = newTenant();
        domain = newDomain();
        registerDomain(tenant, domain);
    }

    /** The file as a client sends it: its UTF-8 bytes (RestAssured would encode a text/* string as ISO-8859-1). */
    static RequestSpecification csv(RequestSpecification request, String file) {
        return request.contentType("text/csv; charset=UTF-8").body(file.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static Response upload(String tenant, String file) {
        return csv(Api.admin(tenant), file).post("/api/v1/imports");
    }

    static Response dryRun(String tenant, String file) {
        return csv(Api.admin(tenant), file).queryParam("dryRun", true).post("/api/v1/imports");
    }

    /** Uploads the file, expects the job, and answers its final status. */
    static Response importAndWait(String tenant, String file) {
        String location = upload(tenant, file).then().statusCode(202).extract().header("Location");
        return finished(tenant, location);
    }

    static Response finished(String tenant, String location) {
        await().atMost(Duration.ofSeconds(60)).until(
                () -> "finished".equals(Api.admin(tenant).get(location).then().statusCode(200).extract().path("state")));
        return Api.admin(tenant).get(location);
    }

    static String export(String tenant) {
        return given().header("X-Tenant-Id", tenant).header("X-User-Id", "user-1").header("X-User-Roles", "user")
                .get("/api/v1/exports/mailboxes.csv").then().statusCode(200).extract().asString();
    }

    /** A line of the CSV with every column, lists joined by blanks. */
    static String line(String localPart, String domain, String firstName, List<String> forwardTo, boolean keepCopy,
            List<String> aliases, String password, String hash) {
        return String.join(",", localPart, domain, firstName, "Berg", "u-17", "MAIL_PREMIUM", String.join(" ", forwardTo),
                String.valueOf(keepCopy), String.join(" ", aliases), password == null ? "" : password,
                hash == null ? "" : hash) + "\n";
    }

    long count(String sql, Object... parameters) {
        return database.count(sql, parameters);
    }

    long events() {
        return count("select count(*) from event_store where tenant_id = ?", tenant);
    }

    long mailboxes() {
        return count("select count(*) from mailbox_view where tenant_id = ?", tenant);
    }
}
