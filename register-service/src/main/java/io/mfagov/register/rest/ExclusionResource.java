package io.mfagov.register.rest;

import io.mfagov.register.api.AuditEventView;
import io.mfagov.register.api.ExclusionView;
import io.mfagov.register.entity.Exclusion;
import io.mfagov.register.api.UsageView;
import io.mfagov.register.service.ExclusionQueries;
import io.mfagov.register.service.ExclusionUsage;
import io.mfagov.support.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;
import java.util.UUID;

@Path("/api/v1/exclusions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Exclusions", description = "MFA exclusions found by scans, reconciled with exceptions")
public class ExclusionResource {

    private final ExclusionQueries queries;
    private final ExclusionUsage usage;

    public ExclusionResource(ExclusionQueries queries, ExclusionUsage usage) {
        this.queries = queries;
        this.usage = usage;
    }

    @GET
    @RolesAllowed(Roles.READER)
    @Operation(summary = "List exclusions, filtered, sorted, a page at a time")
    public ExclusionView.Page<ExclusionView> list(
            @QueryParam("tenantId") String tenantId,
            @Parameter(description = "APPROVED, PENDING, UNAPPROVED, EXPIRING, EXPIRED, REMOVED; repeat or comma-separate")
            @QueryParam("status") List<String> status,
            @QueryParam("category") String category,
            @QueryParam("policyId") String policyId,
            @QueryParam("principalId") String principalId,
            @Parameter(description = "Only exclusions whose exception expires within this many days")
            @QueryParam("expiringWithinDays") String expiringWithinDays,
            @QueryParam("includeRemoved") String includeRemoved,
            @Parameter(description = "firstSeen (default), lastSeen; '-' prefix for descending; risk: highest risk score"
                    + " first (docs/risk-score.md), ties by id") @QueryParam("sort") String sort,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "1 to 500, default 50") @QueryParam("limit") String limit) {
        ExclusionQueries.Filter filter = new ExclusionQueries.Filter(tenantId, status, category, policyId, principalId,
                Params.integer("expiringWithinDays", expiringWithinDays), Params.bool("includeRemoved", includeRemoved));
        ExclusionQueries.PageResult page = queries.list(filter, sort, cursor, Params.limit(limit, 50, 500));
        Map<UUID, UsageView> usages = usage.ofExclusions(page.items());
        return new ExclusionView.Page<>(page.items().stream()
                .map(e -> ExclusionView.of(e, page.assessments().get(e.id), null, usages.get(e.id))).toList(),
                page.nextCursor());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.READER)
    @Operation(summary = "One exclusion with its history")
    public ExclusionView get(@PathParam("id") String id) {
        ExclusionQueries.Assessed a = queries.getAssessed(id);
        Exclusion e = a.exclusion();
        return ExclusionView.of(e, a.assessment(), queries.history(e.id).stream().map(AuditEventView::of).toList(),
                usage.ofExclusions(List.of(e)).get(e.id));
    }
}
