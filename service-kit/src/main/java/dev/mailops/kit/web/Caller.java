package dev.mailops.kit.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;

/** The authenticated caller of the current request and the request's correlation id. */
@RequestScoped
public class Caller {

    @Inject
    SecurityIdentity identity;

    @Inject
    RoutingContext request;

    public String tenantId() {
        return identity.getAttribute(TrustedHeadersAuthentication.TENANT_ATTRIBUTE);
    }

    public String userId() {
        return identity.getPrincipal().getName();
    }

    /** The request's id (see {@link RequestIds}): the correlation id of everything it causes. */
    public String correlationId() {
        return RequestIds.of(request);
    }
}
