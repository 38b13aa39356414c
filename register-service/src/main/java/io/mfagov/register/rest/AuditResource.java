package io.mfagov.register.rest;

import io.mfagov.register.api.AuditEventView;
import io.mfagov.register.service.AuditLog;
import io.mfagov.register.service.ExclusionQueries;
import io.mfagov.support.auth.Roles;
import io.mfagov.support.problem.Check;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit", description = "The append-only, hash-chained audit trail")
public class AuditResource {

    private final ExclusionQueries queries;
    private final AuditLog audit;

    public AuditResource(ExclusionQueries queries, AuditLog audit) {
        this.queries = queries;
        this.audit = audit;
    }

    @GET
    @Path("/events")
    @RolesAllowed(Roles.READER)
    @Operation(summary = "Audit events by tenant, actor and time (from inclusive, to exclusive); page with afterSeq")
    public List<AuditEventView> events(@QueryParam("tenantId") String tenantId, @QueryParam("actor") String actor,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("afterSeq") String afterSeq,
            @QueryParam("limit") String limit) {
        Integer after = Params.integer("afterSeq", afterSeq);
        return queries.audit(tenantId, actor, Check.instant("from", from), Check.instant("to", to),
                after == null ? null : after.longValue(), Params.limit(limit, 100, 1000))
                .stream().map(AuditEventView::of).toList();
    }

    @GET
    @Path("/verify")
    @RolesAllowed(Roles.READER)
    @Operation(summary = "Recompute the hash chain; names the first broken row")
    public AuditLog.Verification verify() {
        return audit.verify();
    }
}
