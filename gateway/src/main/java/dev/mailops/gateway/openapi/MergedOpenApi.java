package dev.mailops.gateway.openapi;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

import dev.mailops.gateway.proxy.Backends;

/**
 * One OpenAPI document for the whole API as the gateway serves it: the gateway's own endpoints and
 * every path it routes to a service, taken from each service's generated document. Component names
 * get the service's prefix so that equal names of different services cannot collide. Swagger UI
 * ({@code /q/swagger-ui}) shows this document.
 */
@Path("/openapi")
@PermitAll
public class MergedOpenApi {

    private static final Logger LOG = Logger.getLogger(MergedOpenApi.class);
    private static final Duration CACHE = Duration.ofSeconds(30);
    private static final String SCHEMAS = "#/components/schemas/";

    @Inject
    Backends backends;
    @Inject
    ObjectMapper json;
    @Inject
    Clock clock;

    /** The gateway's public addresses, as clients should call it; never taken from a request. */
    @ConfigProperty(name = "gateway.openapi.servers")
    List<String> servers;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile ObjectNode cached;
    private volatile Instant cachedAt = Instant.MIN;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode document(@Context HttpServerRequest request) {
        if (cached == null || cachedAt.plus(CACHE).isBefore(clock.instant())) {
            cached = merge(self(request.localAddress()));
            cachedAt = clock.instant();
        }
        return cached;
    }

    /**
     * The gateway's own document is read where this request arrived: the server's own socket address,
     * which no header changes (the Host header and X-Forwarded-* play no part in the document).
     */
    static URI self(SocketAddress local) {
        String host = local.hostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + local.port());
    }

    private ObjectNode merge(URI self) {
        ObjectNode merged = json.createObjectNode();
        merged.put("openapi", "3.1.0");
        merged.putObject("info").put("title", "mailops API").put("version", "1.0")
                .put("description", "Everything through the gateway: log in with POST /api/v1/auth/login and send "
                        + "the token as Authorization: Bearer. Errors are RFC 9457 problem+json.");
        ArrayNode serverList = merged.putArray("servers");
        servers.forEach(server -> serverList.addObject().put("url", server.replaceAll("/$", "")));
        ObjectNode paths = merged.putObject("paths");
        ObjectNode schemas = merged.putObject("components").putObject("schemas");
        merged.with("components").putObject("securitySchemes").putObject("bearer")
                .put("type", "http").put("scheme", "bearer").put("bearerFormat", "JWT");
        merged.putArray("security").addObject().putArray("bearer");
        List<String> unavailable = new ArrayList<>();
        Map<String, URI> sources = new LinkedHashMap<>();
        sources.put("Gateway", self);
        sources.put("Mailbox", backends.mailbox());
        sources.put("Billing", backends.billing());
        sources.put("Dns", backends.dns());
        sources.forEach((prefix, base) -> {
            JsonNode document = fetch(base);
            if (document == null) {
                unavailable.add(prefix);
                return;
            }
            document = prefixed(document, prefix);
            for (Iterator<Map.Entry<String, JsonNode>> it = document.path("paths").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> path = it.next();
                boolean routed = prefix.equals("Gateway") ? path.getKey().startsWith("/api/v1/")
                        : backends.route(path.getKey().replaceAll("\\{[^}]+}", "x")).isPresent();
                if (routed) {
                    paths.set(path.getKey(), path.getValue());
                }
            }
            document.path("components").path("schemas").fields()
                    .forEachRemaining(schema -> schemas.set(schema.getKey(), schema.getValue()));
        });
        if (!unavailable.isEmpty()) {
            merged.with("info").put("x-unavailable-services", String.join(", ", unavailable));
        }
        return merged;
    }

    private JsonNode fetch(URI base) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/q/openapi?format=json"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? json.readTree(response.body()) : null;
        } catch (Exception e) {
            LOG.debugf("No OpenAPI document from %s: %s", base, e.getMessage());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return null;
        }
    }

    /** The document with every component schema renamed to prefix + name, references included. */
    private JsonNode prefixed(JsonNode document, String prefix) {
        try {
            String text = json.writeValueAsString(document).replace("\"" + SCHEMAS, "\"" + SCHEMAS + prefix);
            ObjectNode renamed = (ObjectNode) json.readTree(text);
            JsonNode schemas = renamed.path("components").path("schemas");
            if (schemas instanceof ObjectNode objects) {
                ObjectNode result = json.createObjectNode();
                objects.fields().forEachRemaining(schema -> result.set(prefix + schema.getKey(), schema.getValue()));
                ((ObjectNode) renamed.get("components")).set("schemas", result);
            }
            return renamed;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
