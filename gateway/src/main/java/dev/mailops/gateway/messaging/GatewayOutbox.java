package dev.mailops.gateway.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.smallrye.reactive.messaging.MutinyEmitter;

import dev.mailops.outbox.ServiceOutbox;

/** The gateway's outbox and its relay to {@code gateway.users} (settings: {@code gateway.outbox.*}). */
@ApplicationScoped
public class GatewayOutbox extends ServiceOutbox {

    @Inject
    @Channel("gateway-users")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    MutinyEmitter<String> emitter;

    @Override
    protected String service() {
        return "gateway";
    }

    @Override
    protected MutinyEmitter<String> emitter() {
        return emitter;
    }
}
