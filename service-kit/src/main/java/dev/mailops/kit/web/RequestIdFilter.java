package dev.mailops.kit.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Puts the request id into the log context and echoes it to the client. */
public class RequestIdFilter {

    @Inject
    Caller caller;

    @ServerRequestFilter
    public void logContext() {
        MDC.put("requestId", caller.correlationId());
    }

    @ServerResponseFilter
    public void echo(ContainerResponseContext response) {
        response.getHeaders().putSingle(Caller.REQUEST_ID_HEADER, caller.correlationId());
        MDC.remove("requestId");
    }
}
