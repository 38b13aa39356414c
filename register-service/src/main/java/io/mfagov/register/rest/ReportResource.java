package io.mfagov.register.rest;

import io.mfagov.model.events.GapKind;
import io.mfagov.register.service.ExclusionQueries;
import io.mfagov.register.service.GapQueries;
import io.mfagov.register.api.RemediationView;
import io.mfagov.register.api.TenantView;
import io.mfagov.register.service.Remediations;
import io.mfagov.register.service.ReportService;
import io.mfagov.register.service.TenantService;
import io.mfagov.support.auth.Roles;
import io.mfagov.support.csv.CsvWriter;
import io.mfagov.support.problem.Check;
import io.mfagov.support.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

@Path("/api/v1/reports")
@Tag(name = "Reports", description = "CSV export and QBR summaries")
public class ReportResource {

    private final ReportService reports;
    private final TenantService tenants;
    private final GapQueries gaps;
    private final Remediations remediations;

    /** Columns of {@code remediations.csv}. */
    public static final List<String> REMEDIATIONS_CSV_COLUMNS = List.of("TenantId", "RemediationId", "Status", "Reason",
            "PlanKind", "PolicyName", "PolicyId", "PrincipalId", "PrincipalName", "Path", "RequestedBy", "RequestedAt",
            "ApprovedBy", "AppliedAt", "ConfirmedAt", "FailureReason", "Conflict");

    public ReportResource(ReportService reports, TenantService tenants, GapQueries gaps, Remediations remediations) {
        this.remediations = remediations;
        this.reports = reports;
        this.tenants = tenants;
        this.gaps = gaps;
    }

    @GET
    @Path("/gaps.csv")
    @Produces("text/csv")
    @RolesAllowed(Roles.READER)
    @Operation(summary = "The MFA gaps of each tenant's latest scan with gap signals (or of tenantId) as CSV for Excel"
            + " (UTF-8 with BOM, streamed), the scanner CLI's CA_Gaps columns: TenantId,UserId,UPN,DisplayName,Kind,Count,"
            + "FirstSeen,LastSeen,Apps,ClientApps,Detail, then Privileged,SharedMailbox; gaps of listed shared mailboxes"
            + " only with includeSharedMailboxes=true; cells a spreadsheet would run as a formula start with a quote")
    public Response gapsCsv(@QueryParam("tenantId") String tenantId, @QueryParam("kind") String kind,
            @QueryParam("includeSharedMailboxes") String includeSharedMailboxes) {
        String tenant = Check.optionalGuid("tenantId", tenantId);
        GapKind k = Check.oneOf("kind", kind, GapKind.class);
        boolean shared = Params.bool("includeSharedMailboxes", includeSharedMailboxes);
        StreamingOutput body = out -> gaps.writeGapsCsv(tenant, k, shared, out);
        return Response.ok(body, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"mfa-gaps.csv\"").build();
    }

    @GET
    @Path("/exclusions.csv")
    @Produces("text/csv")
    @RolesAllowed(Roles.READER)
    @Operation(summary = "Exclusions as CSV for Excel (UTF-8 with BOM, streamed): TenantId,TenantName,PolicyName,PolicyId,"
            + "ExcludedUserId,ExcludedUPN,ExcludedDisplayName,Status,Category,ApprovedBy,ExpiresAt,NextReviewAt,"
            + "ReviewerNotes,FirstSeen,LastSeen,InScope,PolicyTarget,Eligible,Shadowed,ClosedBy,Details,Flags,LastSignIn,"
            + "SignIns,SingleFactorSignIns,RiskScore; cells a"
            + " spreadsheet would run as a formula start with a quote")
    public Response exclusionsCsv(@QueryParam("tenantId") String tenantId, @QueryParam("status") List<String> status,
            @QueryParam("includeRemoved") String includeRemoved) {
        // The filter is checked now (problem+json), the rows are read while the body is written.
        ExclusionQueries.Conditions conditions = ExclusionQueries.conditions(new ExclusionQueries.Filter(tenantId,
                status, null, null, null, null, Params.bool("includeRemoved", includeRemoved)));
        StreamingOutput body = out -> reports.writeExclusionsCsv(conditions, out);
        return Response.ok(body, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"mfa-exclusions.csv\"").build();
    }

    @GET
    @Path("/remediations.csv")
    @Produces("text/csv")
    @RolesAllowed(Roles.READER)
    @Operation(summary = "A tenant's remediations (removals of exclusions from the tenant), newest first, optionally of"
            + " one status, as CSV for Excel (UTF-8 with BOM): " + "TenantId,RemediationId,Status,Reason,PlanKind,"
            + "PolicyName,PolicyId,PrincipalId,PrincipalName,Path,RequestedBy,RequestedAt,ApprovedBy,AppliedAt,"
            + "ConfirmedAt,FailureReason,Conflict")
    public Response remediationsCsv(@QueryParam("tenantId") String tenantId, @QueryParam("status") String status,
            @QueryParam("limit") String limit) {
        // Read (and the filter checked, as problem+json) before the body is written.
        List<RemediationView> rows = remediations.list(tenantId, status, Params.limit(limit, 1000, 1000)).stream()
                .map(r -> RemediationView.of(r, null)).toList();
        StreamingOutput body = out -> {
            CsvWriter csv = CsvWriter.forExcel(out, REMEDIATIONS_CSV_COLUMNS);
            for (RemediationView r : rows) {
                csv.row(r.tenantId(), text(r.id()), r.status(), r.reason(), r.planKind(), r.policyName(), r.policyId(),
                        r.principalId(), r.principalName(), r.viaPath(), r.requestedBy(), text(r.requestedAt()),
                        r.approvedBy(), text(r.appliedAt()), text(r.confirmedAt()), r.failureReason(),
                        String.valueOf(r.conflict()));
            }
            csv.flush();
        };
        return Response.ok(body, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"mfa-remediations.csv\"").build();
    }

    /** Columns of {@code tenants.csv} (issue 16). */
    public static final List<String> TENANTS_CSV_COLUMNS = List.of("TenantId", "TenantName", "Enabled", "Discovered",
            "CredentialRef", "LastScanStatus", "LastScanFinishedAt", "AccessStatus", "AccessReason", "AccessDetail",
            "ConsentUrl", "MissingPermissions", "DisabledReads", "AccessCheckedAt", "Action", "RelationshipStatus",
            "RelationshipEndsAt", "AutoExtends", "DefaultDomain", "ContractType", "EnforcementStatus");

    @GET
    @Path("/tenants.csv")
    @Produces("text/csv")
    @RolesAllowed(Roles.READER)
    @Operation(summary = "Tenants with their access (consent, missing permissions, consent URL, what to do) and partner"
            + " relationship as CSV for Excel (UTF-8 with BOM), filtered like GET /api/v1/tenants: "
            + "TenantId,TenantName,Enabled,Discovered,CredentialRef,LastScanStatus,LastScanFinishedAt,AccessStatus,"
            + "AccessReason,AccessDetail,ConsentUrl,MissingPermissions,DisabledReads,AccessCheckedAt,Action,"
            + "RelationshipStatus,RelationshipEndsAt,AutoExtends,DefaultDomain,ContractType,EnforcementStatus;"
            + " lists are separated by '; '")
    public Response tenantsCsv(@QueryParam("accessStatus") String accessStatus,
            @QueryParam("discovered") String discovered, @QueryParam("relationshipStatus") String relationshipStatus) {
        List<TenantView> rows = tenants.list(TenantResource.accessFilter(accessStatus),
                Params.optionalBool("discovered", discovered), TenantResource.relationshipFilter(relationshipStatus))
                .stream().map(TenantView::of).toList();
        StreamingOutput body = out -> {
            CsvWriter csv = CsvWriter.forExcel(out, TENANTS_CSV_COLUMNS);
            for (TenantView t : rows) {
                TenantView.Access a = t.access();
                TenantView.Relationship r = t.relationship();
                csv.row(t.tenantId(), t.displayName(), String.valueOf(t.enabled()), String.valueOf(t.discovered()),
                        t.credentialRef(), t.lastScanStatus(), text(t.lastScanFinishedAt()), a.status(), a.reason(),
                        a.detail(), a.consentUrl(), String.join("; ", a.missingPermissions()),
                        String.join("; ", a.disabledReads()), text(a.checkedAt()), a.action(), r.status(),
                        text(r.endsAt()), text(r.autoExtends()), r.defaultDomain(), r.contractType(),
                        t.enforcementStatus());
            }
            csv.flush();
        };
        return Response.ok(body, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"mfa-tenants.csv\"").build();
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    @GET
    @Path("/tenants/{tenantId}/summary")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.READER)
    @Operation(summary = "QBR summary of one tenant: counts by status and category, changes in the period,"
            + " oldest exceptions, top risks, top risky exclusions by risk score, MFA gaps of the latest scan (shared"
            + " mailboxes apart) and their monthly trend in the period")
    public ReportService.Summary summary(@PathParam("tenantId") String tenantId, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        Instant end = Check.instant("to", to);
        Instant until = end == null ? Instant.now() : end;
        Instant start = Check.instant("from", from);
        Instant since = start == null ? until.minus(90, ChronoUnit.DAYS) : start;
        if (!since.isBefore(until)) {
            throw ProblemException.invalid("from", "from must be before to");
        }
        return reports.summary(tenants.get(tenantId), since, until);
    }
}
