package dev.mailops.billing.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.smallrye.reactive.messaging.MutinyEmitter;

import dev.mailops.outbox.ServiceOutbox;

/** billing-service's outbox and its relay to {@code billing.events} (settings: {@code billing.outbox.*}). */
@ApplicationScoped
public class BillingOutbox extends ServiceOutbox {

    @Inject
    @Channel("billing-events")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    MutinyEmitter<String> emitter;

    @Override
    protected String service() {
        return "billing";
    }

    @Override
    protected MutinyEmitter<String> emitter() {
        return emitter;
    }
}
