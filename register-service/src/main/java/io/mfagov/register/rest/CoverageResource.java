package io.mfagov.register.rest;

import io.mfagov.model.events.CoverageFinding;
import io.mfagov.register.api.CoverageView;
import io.mfagov.register.api.ExclusionView;
import io.mfagov.register.service.MfaCoverageQueries;
import io.mfagov.support.auth.Roles;
import io.mfagov.support.problem.Check;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The tenants' effective MFA coverage (CoverageObserved of their latest scans): list and CSV exports. One tenant's,
 * with its uncovered users: {@code GET /api/v1/tenants/{tenantId}/coverage} ({@link TenantResource}).
 */
@Path("/api/v1")
@Tag(name = "Coverage", description = "Effective MFA coverage per tenant, from its latest scan")
public class CoverageResource {

    private final MfaCoverageQueries coverage;

    public CoverageResource(MfaCoverageQueries coverage) {
        this.coverage = coverage;
    }

    @GET
    @Path("/coverage")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.READER)
    @Operation(summary = "The latest coverage of every tenant (without the user lists), by tenant id, a page at a time")
    public ExclusionView.Page<CoverageView> list(
            @Parameter(description = "true or false: only tenants whose latest coverage says so (undecided matches neither)")
            @QueryParam("allUsersCovered") String allUsersCovered,
            @Parameter(description = "Only tenants whose latest coverage has this finding: NO_MFA_ENFORCEMENT")
            @QueryParam("finding") String finding,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "1 to 500, default 50") @QueryParam("limit") String limit) {
        MfaCoverageQueries.PageResult page = coverage.list(filter(allUsersCovered, finding), cursor,
                Params.limit(limit, 50, 500));
        return new ExclusionView.Page<>(page.items(), page.nextCursor());
    }

    @GET
    @Path("/coverage.csv")
    @Produces("text/csv")
    @RolesAllowed(Roles.READER)
    @Operation(summary = "The latest coverage of every tenant as CSV for Excel (UTF-8 with BOM, streamed), the scanner"
            + " CLI's CA_Coverage columns: TenantId,TenantName,ScanStatus,SecurityDefaultsEnabled,EnabledMfaPolicies,"
            + "ReportOnlyMfaPolicies,AllUsersCovered,UncoveredUsers,GraphRequests; same filters as the list; cells a"
            + " spreadsheet would run as a formula start with a quote")
    public Response coverageCsv(@QueryParam("allUsersCovered") String allUsersCovered,
            @QueryParam("finding") String finding) {
        // The filter is checked now (problem+json), the rows are read while the body is written.
        MfaCoverageQueries.Filter filter = filter(allUsersCovered, finding);
        StreamingOutput body = out -> coverage.writeCoverageCsv(filter, out);
        return Response.ok(body, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"mfa-coverage.csv\"").build();
    }

    @GET
    @Path("/uncovered-users.csv")
    @Produces("text/csv")
    @RolesAllowed(Roles.READER)
    @Operation(summary = "The uncovered users of every tenant's latest coverage (or of tenantId) as CSV for Excel (UTF-8"
            + " with BOM, streamed): TenantId,TenantName,UserId,UPN,DisplayName,Reason,Privileged; privileged users first")
    public Response uncoveredUsersCsv(@QueryParam("tenantId") String tenantId) {
        String tenant = Check.optionalGuid("tenantId", tenantId);
        StreamingOutput body = out -> coverage.writeUncoveredUsersCsv(tenant, out);
        return Response.ok(body, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"mfa-uncovered-users.csv\"").build();
    }

    private static MfaCoverageQueries.Filter filter(String allUsersCovered, String finding) {
        CoverageFinding f = Check.oneOf("finding", finding, CoverageFinding.class);
        return new MfaCoverageQueries.Filter(Params.optionalBool("allUsersCovered", allUsersCovered),
                f == null ? null : f.name());
    }
}
