package dev.mailops.kit.web;

import jakarta.inject.Inject;

import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Puts the request id into the log context of the request's handling. */
public class RequestIdFilter {

    @Inject
    Caller caller;

    @ServerRequestFilter
    public void logContext() {
        MDC.put("requestId", caller.correlationId());
    }

    @ServerResponseFilter
    public void clearLogContext() {
        MDC.remove("requestId");
    }
}
