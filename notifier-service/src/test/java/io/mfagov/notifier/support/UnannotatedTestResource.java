package io.mfagov.notifier.support;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Tests only: an endpoint someone forgot to annotate with a role. With
 * {@code quarkus.security.jaxrs.deny-unannotated-endpoints=true} nobody may call it.
 */
@Path("/api/v1/test-only/unannotated")
public class UnannotatedTestResource {

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String open() {
        return "open";
    }
}
