package dev.mailops.gateway.users;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

import dev.mailops.kit.jdbc.Database;

/**
 * Checks a username and password against the directory's bcrypt hashes (modular crypt format), for the
 * login and for a change of one's own password. The identity it returns carries the user's roles; whether
 * the user and its tenant may hold a session is the caller's question.
 */
@ApplicationScoped
public class UserPasswords implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    /** Checked against when the username is unknown, so that an unknown name takes as long as a wrong password. */
    private static final String NO_USER = BcryptUtil.bcryptHash(UUID.randomUUID().toString());

    private record Stored(String hash, String roles) {
    }

    @Inject
    Database database;

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        // bcrypt takes tens of milliseconds of CPU: never on the event loop
        return context.runBlocking(() -> check(request));
    }

    private SecurityIdentity check(UsernamePasswordAuthenticationRequest request) {
        Optional<Stored> stored = database.first("SELECT password, roles FROM gateway_user WHERE username = ?",
                row -> new Stored(row.getString(1), row.getString(2)), request.getUsername());
        String guess = new String(request.getPassword().getPassword());
        boolean matches = BcryptUtil.matches(guess, stored.map(Stored::hash).orElse(NO_USER));
        if (stored.isEmpty() || !matches) {
            throw new AuthenticationFailedException();
        }
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(request.getUsername()))
                .addCredential(request.getPassword());
        GatewayUser.roleList(stored.get().roles()).forEach(identity::addRole);
        return identity.build();
    }
}
