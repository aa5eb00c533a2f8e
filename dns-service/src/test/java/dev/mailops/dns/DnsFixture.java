package dev.mailops.dns;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import dev.mailops.testinfra.MailboxEventsFixture;

/**
 * What dns-service's @QuarkusTests share: requests as the gateway forwards them, a domain provisioned
 * from its DomainAdded event, and a query to the service's own DNS server.
 */
final class DnsFixture {

    static final Duration WAIT = Duration.ofSeconds(20);

    private DnsFixture() {
    }

    static RequestSpecification as(String tenant, String roles) {
        return given().contentType(ContentType.JSON).header("X-Tenant-Id", tenant).header("X-User-Id", "u-1")
                .header("X-User-Roles", roles);
    }

    /** Publishes DomainAdded and waits until the zone's records are served; the event as sent. */
    static MailboxEventsFixture.Sent provision(MailboxEventsFixture events, String tenant, String domain) {
        MailboxEventsFixture.Sent added = events.domainAdded(tenant, domain, Instant.now());
        await().atMost(WAIT).untilAsserted(() -> as(tenant, "user").get("/api/v1/domains/" + domain + "/records")
                .then().statusCode(200));
        return added;
    }

    static Message query(int port, String name, int type, boolean tcp) throws Exception {
        SimpleResolver resolver = new SimpleResolver("127.0.0.1");
        resolver.setPort(port);
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(5));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN)));
    }
}
