package dev.mailops.mailbox.store;

import java.util.HashMap;
import java.util.Map;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;

/**
 * Who caused the events and in which request: stored with each event and carried onto the topic,
 * with the request's W3C trace context so that publishing and consuming join the request's trace.
 */
public record EventMetadata(String tenantId, String actor, String correlationId, String traceParent) {

    public EventMetadata(String tenantId, String actor, String correlationId) {
        this(tenantId, actor, correlationId, currentTraceParent());
    }

    /** The current trace context as a W3C traceparent, or null outside a trace. */
    static String currentTraceParent() {
        Map<String, String> carrier = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, Map::put);
        return carrier.get("traceparent");
    }
}
