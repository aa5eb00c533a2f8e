package dev.mailops.gateway.users;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.gateway.messaging.GatewayOutbox;
import dev.mailops.outbox.OutgoingEvent;

/**
 * Writes the lifecycle of a tenant's user (UserCreated, UserDisabled, UserEnabled) to the gateway's outbox
 * in the transaction that changes the directory; the relay publishes it to gateway.users after the commit.
 * Keyed by tenant, so a user's events stay in order. Operators belong to no tenant and are not published;
 * no password or hash is ever part of an event.
 */
@ApplicationScoped
public class UserEvents {

    static final String FAMILY = "gateway-users";

    /** The record values: see contract/gateway-users/. */
    record UserCreated(String tenantId, String userId, String username, String displayName, List<String> roles,
            Instant createdAt) {
    }

    record UserStanding(String tenantId, String userId, String username) {
    }

    @Inject
    ObjectMapper json;
    @Inject
    GatewayOutbox outbox;

    /** In the caller's transaction. */
    void created(GatewayUser user) {
        if (user.tenantId() == null) {
            return;
        }
        append("UserCreated", user, user.createdAt(), new UserCreated(user.tenantId(), user.username(), user.username(),
                user.displayName(), user.roleList(), user.createdAt()));
    }

    /** In the caller's transaction. */
    void standingChanged(GatewayUser user, Instant at) {
        if (user.tenantId() == null) {
            return;
        }
        append(user.enabled() ? "UserEnabled" : "UserDisabled", user, at,
                new UserStanding(user.tenantId(), user.username(), user.username()));
    }

    private void append(String type, GatewayUser user, Instant at, Object data) {
        URI schema = OutgoingEvent.schema(FAMILY, type, 1);
        outbox.append(new OutgoingEvent(UUID.randomUUID(), type, schema, user.username(), user.tenantId(), at, Map.of(),
                toJson(data), null));
    }

    private String toJson(Object data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise " + data.getClass().getSimpleName(), e);
        }
    }
}
