package dev.mailops.dns.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.smallrye.reactive.messaging.MutinyEmitter;

import dev.mailops.outbox.ServiceOutbox;

/** dns-service's outbox and its relay to {@code dns.events} (settings: {@code dns.outbox.*}). */
@ApplicationScoped
public class DnsOutbox extends ServiceOutbox {

    @Inject
    @Channel("dns-events")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    MutinyEmitter<String> emitter;

    @Override
    protected String service() {
        return "dns";
    }

    @Override
    protected MutinyEmitter<String> emitter() {
        return emitter;
    }
}
