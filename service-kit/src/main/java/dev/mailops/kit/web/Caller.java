package dev.mailops.kit.web;

import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;

/** The authenticated caller of the current request and the request's correlation id. */
@RequestScoped
public class Caller {

    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    @Inject
    SecurityIdentity identity;

    @Inject
    HttpServerRequest request;

    private String correlationId;

    public String tenantId() {
        return identity.getAttribute(TrustedHeadersAuthentication.TENANT_ATTRIBUTE);
    }

    public String userId() {
        return identity.getPrincipal().getName();
    }

    /** The client's X-Request-Id when it sent a sane one, else a new one; echoed in the response. */
    public String correlationId() {
        if (correlationId == null) {
            String sent = request.getHeader(REQUEST_ID_HEADER);
            correlationId = sent != null && sent.matches("[A-Za-z0-9._:-]{1,128}") ? sent : UUID.randomUUID().toString();
        }
        return correlationId;
    }
}
