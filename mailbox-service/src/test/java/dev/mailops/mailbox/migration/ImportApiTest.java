package dev.mailops.mailbox.migration;

import static dev.mailops.mailbox.Api.PASSWORD;
import static dev.mailops.mailbox.Api.addAlias;
import static dev.mailops.mailbox.Api.admin;
import static dev.mailops.mailbox.Api.createMailbox;
import static dev.mailops.mailbox.Api.newDomain;
import static dev.mailops.mailbox.Api.newTenant;
import static dev.mailops.mailbox.Api.registerDomain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import dev.mailops.kit.jdbc.Database;
import dev.mailops.mailbox.command.ImportMailbox;
import dev.mailops.mailbox.credentials.PasswordHasher;
import dev.mailops.mailbox.time.TestClock;

/** POST /api/v1/imports (dry run and job), GET /api/v1/imports/{id}, GET /api/v1/exports/mailboxes.csv. */
@QuarkusTest
class ImportApiTest extends ImportFixture {

    static final String BLF_CRYPT = "{BLF-CRYPT}$2y$05$2ZILhgzYq3k8QTJs2EEylOHT/ALHp2WjtM.5fYK55FKZiG4VAW.Ki";

    @Inject
    ImportJobs jobs;
    @Inject
    PasswordHasher hasher;
    @Inject
    TestClock clock;

    @Test
    void aDryRunReportsEachLineAndFieldAndWritesNothing() {
        createMailbox(tenant, "taken", domain, "MAIL_LIGHT");
        long eventsBefore = events();
        String file = HEADER
                + line("anna", domain, "Anna", List.of("a@other.example"), true, List.of("info@" + domain), PASSWORD, null)
                + "bert," + domain + ",\"\",Berg,u-17,MAIL_GOLD,,,,Correct-Horse-9,\n"
                + line("carla", domain, "Carla", List.of(), false, List.of("sales@elsewhere-" + domain), null, BLF_CRYPT)
                + line("anna", domain, "Anna", List.of(), false, List.of(), PASSWORD, null)
                + line("dora", domain, "Dora", List.of(), false, List.of(), "dora", null)
                + line("emil", domain, "Emil", List.of(), false, List.of(), null, "{ARGON2ID}Correct-Horse-9")
                + line("taken", domain, "Anna", List.of(), false, List.of(), PASSWORD, null)
                + line("fritz", domain, "Fritz", List.of(), true, List.of(), PASSWORD, null);

        Response report = dryRun(tenant, file);

        report.then().statusCode(200)
                .body("totalLines", equalTo(8)).body("create", equalTo(1)).body("unchanged", equalTo(0))
                .body("invalid", equalTo(7))
                .body("lines[0].line", equalTo(2)).body("lines[0].address", equalTo("anna@" + domain))
                .body("lines[0].outcome", equalTo("create")).body("lines[0].errors", hasSize(0))
                .body("lines[1].errors.field", contains("firstName", "rate"))
                .body("lines[2].errors.field", contains("aliases[0]"))
                .body("lines[3].errors.field", contains("localPart"))
                .body("lines[3].errors[0].message", equalTo("anna@" + domain + " is in line 2 already"))
                .body("lines[4].errors.field", contains("password"))
                .body("lines[5].errors.field", contains("passwordHash"))
                .body("lines[6].errors.field", contains("localPart"))
                .body("lines[6].errors[0].message", equalTo("taken@" + domain + " is already one of your mailboxes, with"
                        + " other fields; an import does not change existing mailboxes"))
                .body("lines[7].errors.field", contains("keepCopy"));
        assertThat(report.asString()).doesNotContain(PASSWORD).doesNotContain("Correct-Horse-9");
        assertThat(events()).isEqualTo(eventsBefore);
        assertThat(count("select count(*) from import_job where tenant_id = ?", tenant)).isZero();

        upload(tenant, file).then().statusCode(400)
                .body("type", equalTo("/problems/import-invalid"))
                .body("errors.field", hasItem("lines[3].firstName"))
                .body("lines", hasSize(7));
        assertThat(events()).isEqualTo(eventsBefore);
        assertThat(count("select count(*) from import_job where tenant_id = ?", tenant)).isZero();
    }

    @Test
    void aFileBrokenThroughoutListsTheFirstErrorsByFieldAndEveryLineWithAllOfItsOwn() {
        StringBuilder file = new StringBuilder(HEADER);
        for (int i = 0; i < 120; i++) {
            file.append(line("l" + i, domain, "L" + i, List.of(), true, List.of(), PASSWORD, null)); // a copy of nothing
        }

        upload(tenant, file.toString()).then().statusCode(400)
                .body("errors", hasSize(100)).body("errors[99].field", equalTo("lines[101].keepCopy"))
                .body("errorsNotListed", equalTo(20))
                .body("lines", hasSize(120)).body("lines[119].errors.field", contains("keepCopy"));
    }

    @Test
    void anImportRunsAsAJobThroughTheRulesAndTwiceCreatesNothingTwice() {
        String file = HEADER
                + line("anna", domain, "Anna", List.of("anna@old-shop.example"), true, List.of("info@" + domain, "kontakt@" + domain),
                        PASSWORD, null)
                + line("bert", domain, "Bert", List.of(), false, List.of(), null, BLF_CRYPT)
                + line("carla", domain, "Carla", List.of(), false, List.of(), "Battery-Staple-7", null);

        Response accepted = upload(tenant, file);

        accepted.then().statusCode(202).body("state", equalTo("queued")).body("totalLines", equalTo(3))
                .body("lines", nullValue());
        Response done = finished(tenant, accepted.header("Location"));
        done.then().body("processedLines", equalTo(3)).body("created", equalTo(3)).body("failed", equalTo(0))
                .body("lines.outcome", everyItem(equalTo("created")))
                .body("lines.address", contains("anna@" + domain, "bert@" + domain, "carla@" + domain));
        String annaId = done.path("lines[0].mailboxId");
        admin(tenant).get("/api/v1/mailboxes/" + annaId).then().statusCode(200)
                .body("forwardTo", contains("anna@old-shop.example")).body("keepCopy", equalTo(true))
                .body("rate", equalTo("MAIL_PREMIUM")).body("systemUserId", equalTo("u-17"))
                .body("aliases.address", contains("info@" + domain, "kontakt@" + domain));
        admin(tenant).get("/api/v1/mailboxes/" + annaId + "/history").then()
                .body("type", contains("MailboxCreated", "AliasAdded", "AliasAdded"))
                .body("actor", everyItem(equalTo("admin-1")))
                .body("correlationId", everyItem(equalTo("import:" + accepted.path("id"))));
        assertThat(storedHash(done.path("lines[1].mailboxId"))).isEqualTo(BLF_CRYPT);
        assertThat(hasher.verify("Battery-Staple-7", storedHash(done.path("lines[2].mailboxId")))).isTrue();
        long eventsAfterFirst = events();

        Response again = importAndWait(tenant, file);

        again.then().body("created", equalTo(0)).body("unchanged", equalTo(3))
                .body("lines[0].mailboxId", equalTo(annaId));
        assertThat(mailboxes()).isEqualTo(3);
        assertThat(events()).isEqualTo(eventsAfterFirst);
        String exported = export(tenant);
        importAndWait(tenant, exported).then().body("unchanged", equalTo(3)).body("created", equalTo(0));
    }

    @Test
    void aLineThatBreaksARuleByTheTimeItsTurnComesFailsAloneAndNamesWhy() {
        // Since the file was accepted, bert's address was taken by a mailbox with other fields.
        createMailbox(tenant, "bert", domain, "MAIL_LIGHT");
        UUID jobId = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> jobs.create(jobId, tenant, "admin-1", List.of(
                new ImportJobs.NewLine(2, "anna@" + domain, mailbox("anna", hasher.hash(PASSWORD))),
                new ImportJobs.NewLine(3, "bert@" + domain, mailbox("bert", hasher.hash(PASSWORD)))),
                clock.instant()));

        Response done = finished(tenant, "/api/v1/imports/" + jobId);

        done.then().body("created", equalTo(1)).body("failed", equalTo(1))
                .body("lines[1].outcome", equalTo("failed")).body("lines[1].errors[0].field", equalTo("localPart"));
    }

    @Test
    void aJobWhoseInstanceDiedIsTakenOverAndFinishedWithoutDuplicates() {
        // An instance imported line 2 and recorded it, and anna's colleague created line 3's mailbox by hand
        // (as in the file); then the instance died holding the job's lease.
        String line2 = createMailbox(tenant, "anna", domain, "MAIL_PREMIUM");
        String line3 = createMailbox(tenant, "bert", domain, "MAIL_PREMIUM");
        UUID jobId = UUID.randomUUID();
        Instant now = clock.instant();
        List<ImportJobs.NewLine> lines = List.of(
                new ImportJobs.NewLine(2, "anna@" + domain, same("anna")),
                new ImportJobs.NewLine(3, "bert@" + domain, same("bert")),
                new ImportJobs.NewLine(4, "carla@" + domain, mailbox("carla", hasher.hash(PASSWORD))),
                new ImportJobs.NewLine(5, "dora@" + domain, mailbox("dora", hasher.hash(PASSWORD))));
        QuarkusTransaction.requiringNew().run(() -> {
            jobs.create(jobId, tenant, "admin-1", lines, now);
            database.update("update import_job set state = 'running', started_at = ?,"
                    + " lease_owner = 'mailbox-service-dead', lease_until = ? where job_id = ?",
                    now, now.minus(Duration.ofSeconds(1)), jobId);
            database.update("update import_line set outcome = 'created', mailbox_id = cast(? as uuid),"
                    + " mailbox = mailbox - 'passwordHash' where job_id = ? and line_no = 2", line2, jobId);
        });

        Response done = finished(tenant, "/api/v1/imports/" + jobId);

        done.then().body("created", equalTo(3)).body("unchanged", equalTo(1)).body("failed", equalTo(0))
                .body("lines.outcome", contains("created", "unchanged", "created", "created"))
                .body("lines[0].mailboxId", equalTo(line2)).body("lines[1].mailboxId", equalTo(line3));
        assertThat(mailboxes()).isEqualTo(4);
        assertThat(count("select count(*) from event_store where tenant_id = ? and event_type = 'MailboxCreated'", tenant))
                .isEqualTo(4);
        assertThat(count("select count(*) from import_job where job_id = ? and lease_owner is null", jobId)).isOne();
        assertThat(count("select count(*) from import_line where job_id = ? and mailbox->>'passwordHash' is not null", jobId)).isZero();
    }

    @Test
    void aLineThatKeepsFailingForAReasonOfTheServicesOwnFailsAloneAfterItsTriesAndTheJobGoesOn() {
        // The database refuses every event of one address (as a broken disk or a bug would): no rule is broken.
        String poison = "p" + UUID.randomUUID().toString().substring(0, 8);
        QuarkusTransaction.requiringNew().run(() -> database.update("""
                create sequence refused_for_test;
                create or replace function refuse_for_test() returns trigger language plpgsql as
                  $$ begin perform nextval('refused_for_test'); raise exception 'refused for the test'; end $$;
                create trigger refuse_for_test before insert on event_store for each row
                  when (cast(new.payload as text) like '%%%s%%') execute function refuse_for_test();
                """.formatted(poison)));
        try {
            UUID jobId = UUID.randomUUID();
            QuarkusTransaction.requiringNew().run(() -> jobs.create(jobId, tenant, "admin-1", List.of(
                    new ImportJobs.NewLine(2, "anna@" + domain, mailbox("anna", hasher.hash(PASSWORD))),
                    new ImportJobs.NewLine(3, poison + "@" + domain, mailbox(poison, hasher.hash(PASSWORD))),
                    new ImportJobs.NewLine(4, "carla@" + domain, mailbox("carla", hasher.hash(PASSWORD)))),
                    clock.instant()));

            Response done = finished(tenant, "/api/v1/imports/" + jobId);

            done.then().body("created", equalTo(2)).body("failed", equalTo(1))
                    .body("lines.outcome", contains("created", "failed", "created"))
                    .body("lines[1].errors[0].field", equalTo("line"))
                    .body("lines[1].errors[0].message", org.hamcrest.Matchers.containsString("failed 3 times"));
            // a sequence's value survives the rollback of the transaction that took it
            assertThat(count("select last_value from refused_for_test")).as("tries").isEqualTo(3);
            assertThat(mailboxes()).isEqualTo(2);
            assertThat(count("select count(*) from import_line where job_id = ? and mailbox->>'passwordHash' is not null",
                    jobId)).isZero();
        } finally {
            QuarkusTransaction.requiringNew().run(() -> database.update(
                    "drop trigger refuse_for_test on event_store; drop function refuse_for_test(); drop sequence refused_for_test"));
        }
    }

    @Test
    void theExportHasEveryMailboxOfEveryPageAndRoundTripsIntoAnotherTenant() {
        String annaId = createMailbox(tenant, "anna", domain, "MAIL_PREMIUM");
        addAlias(tenant, annaId, "info", domain);
        addAlias(tenant, annaId, "kontakt", domain);
        createMailbox(tenant, "bert", domain, "MAIL_LIGHT");
        Map<String, Object> forwarding = dev.mailops.mailbox.Api.mailbox("carla", domain, "MAIL_LIGHT");
        forwarding.put("forwardTo", List.of("carla@old-shop.example", "bert@" + domain));
        forwarding.put("keepCopy", true);
        admin(tenant).body(forwarding).post("/api/v1/mailboxes").then().statusCode(201);
        createMailbox(tenant, "dora", domain, "MAIL_LIGHT");
        createMailbox(tenant, "emil", domain, "MAIL_LIGHT"); // five mailboxes: three pages of two

        String exported = export(tenant);

        assertThat(exported.lines()).hasSize(6).first().isEqualTo(HEADER.strip());
        assertThat(exported).contains("anna," + domain + ",Anna,Berg,u-17,MAIL_PREMIUM,,false,\"info@" + domain
                + " kontakt@" + domain + "\",,")
                .contains("carla," + domain + ",Anna,Berg,u-17,MAIL_LIGHT,\"carla@old-shop.example bert@" + domain
                        + "\",true,,,");
        String otherTenant = newTenant();
        String otherDomain = newDomain();
        registerDomain(otherTenant, otherDomain);
        String migrated = exported.replace(domain, otherDomain).replaceAll("(?m),,$", "," + PASSWORD + ",");

        importAndWait(otherTenant, migrated).then().body("created", equalTo(5));

        assertThat(export(otherTenant)).isEqualTo(exported.replace(domain, otherDomain));
    }

    @Test
    void theDocumentedExampleFileImports() throws java.io.IOException {
        String example = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/examples/mailboxes.csv"));
        // The example's system users, as the gateway announced them to the tenant.
        java.util.stream.Stream.of("u-18", "u-19", "u-20").forEach(user -> dev.mailops.mailbox.Api.knownUser(tenant, user));

        importAndWait(tenant, example.replace("shop.example", domain)).then()
                .body("created", equalTo(4)).body("failed", equalTo(0));
        assertThat(export(tenant)).contains("joerg," + domain + ",Jörg,\"Müller, Jr.\",u-20,MAIL_LIGHT");
    }

    private ImportMailbox mailbox(String localPart, String hash) {
        return new ImportMailbox(localPart, domain, "Anna", "Berg", "u-17", "MAIL_PREMIUM", List.of(), false, List.of(),
                null, hash);
    }

    /** As the API's test mailbox was created, without a secret. */
    private ImportMailbox same(String localPart) {
        return mailbox(localPart, null);
    }

    private String storedHash(String mailboxId) {
        return database.first(
                "select password_hash from mailbox_credential where mailbox_id = cast(? as uuid)", row -> row.getString(1), mailboxId).orElse(null);
    }
}
