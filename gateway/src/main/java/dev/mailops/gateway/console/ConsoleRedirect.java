package dev.mailops.gateway.console;

import java.net.URI;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** The gateway's address opens the admin console. */
@Path("/")
@PermitAll
public class ConsoleRedirect {

    @GET
    public Response console() {
        return Response.seeOther(URI.create("/console/")).build();
    }
}
