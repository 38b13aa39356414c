package io.mfagov.scanner.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.mfagov.model.events.MfaRequirement;
import io.mfagov.model.events.Principal;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.scanner.service.Detection;
import io.mfagov.scanner.service.PrincipalUsage;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One row of the one-shot report: the guide's columns first (TenantName added after TenantId), then ours, then the
 * whole-policy facts (scope, target, PIM, shadowing, the policy closing a hole), then the evidence of use in the
 * sign-in window (last successful sign-in, ISO-8601 UTC; successful and single-factor sign-in counts). The JSON also carries the hole's
 * details and the row's flags.
 */
@JsonPropertyOrder({"TenantId", "TenantName", "PolicyName", "PolicyId", "ExcludedUserId", "ExcludedUPN", "ExcludedDisplayName",
    "PrincipalType", "ExcludedVia", "PolicyState", "MfaRequirement", "AccountEnabled", "UserType", "Resolved",
    "InScope", "PolicyTarget", "Eligible", "Shadowed", "ClosedBy", "LastSignIn", "SignIns", "SingleFactorSignIns",
    "Details", "Flags"})
public record ReportRow(
        @JsonProperty("TenantId") String tenantId,
        @JsonProperty("TenantName") String tenantName,
        @JsonProperty("PolicyName") String policyName,
        @JsonProperty("PolicyId") String policyId,
        @JsonProperty("ExcludedUserId") String excludedUserId,
        @JsonProperty("ExcludedUPN") String excludedUpn,
        @JsonProperty("ExcludedDisplayName") String excludedDisplayName,
        @JsonProperty("PrincipalType") String principalType,
        @JsonProperty("ExcludedVia") String excludedVia,
        @JsonProperty("PolicyState") String policyState,
        @JsonProperty("MfaRequirement") String mfaRequirement,
        @JsonProperty("AccountEnabled") Boolean accountEnabled,
        @JsonProperty("UserType") String userType,
        @JsonProperty("Resolved") boolean resolved,
        @JsonProperty("InScope") Boolean inScope,
        @JsonProperty("PolicyTarget") String policyTarget,
        @JsonProperty("Eligible") Boolean eligible,
        @JsonProperty("Shadowed") Boolean shadowed,
        @JsonProperty("ClosedBy") String closedBy,
        @JsonProperty("LastSignIn") String lastSignIn,
        @JsonProperty("SignIns") Integer signIns,
        @JsonProperty("SingleFactorSignIns") Integer singleFactorSignIns,
        @JsonProperty("Details") Map<String, String> details,
        @JsonProperty("Flags") List<String> flags) {

    /** The CSV's columns (the JSON adds Details and Flags). */
    public static final List<String> COLUMNS = List.of("TenantId", "TenantName", "PolicyName", "PolicyId", "ExcludedUserId",
            "ExcludedUPN", "ExcludedDisplayName", "PrincipalType", "ExcludedVia", "PolicyState", "MfaRequirement",
            "AccountEnabled", "UserType", "Resolved", "InScope", "PolicyTarget", "Eligible", "Shadowed", "ClosedBy",
            "LastSignIn", "SignIns", "SingleFactorSignIns");

    public static ReportRow of(String tenantId, String tenantName, Detection d) {
        return of(tenantId, tenantName, d, null);
    }

    /**
     * @param usage the principal's use in the sign-in window (users, service principals, applications), null when
     *              the principal cannot sign in or the sign-ins were not read: the sign-in cells stay empty
     */
    public static ReportRow of(String tenantId, String tenantName, Detection d, PrincipalUsage usage) {
        Principal p = d.principal();
        return new ReportRow(tenantId, tenantName, d.policy().displayName(), d.policy().id(), p.id(),
                p.type() == PrincipalType.USER ? p.userPrincipalName() : null, p.displayName(), p.type().name(),
                d.via().describe(), d.policy().state().graphValue(), requirement(d), p.accountEnabled(), p.userType(),
                Boolean.TRUE.equals(p.resolved()), d.inScope(), d.policyTarget(), d.eligible(), d.shadowed(),
                d.closedBy() == null ? null : d.closedBy().displayName() != null ? d.closedBy().displayName()
                        : d.closedBy().id(),
                usage == null || usage.lastSignIn() == null ? null : usage.lastSignIn().toString(),
                usage == null ? null : usage.signIns(), usage == null ? null : usage.singleFactorSignIns(),
                d.details(), d.flags());
    }

    /** {@code mfa}, {@code authenticationStrength:<name>}, {@code customControl:<name or id>} or {@code block}. */
    static String requirement(Detection d) {
        MfaRequirement r = d.policy().mfaRequirement();
        return switch (r) {
            case AUTH_STRENGTH -> "authenticationStrength:" + (d.policy().authenticationStrength() == null ? ""
                    : d.policy().authenticationStrength());
            case CUSTOM_CONTROL -> "customControl:" + (d.policy().customControl() == null ? ""
                    : d.policy().customControl());
            case BLOCK -> "block";
            default -> "mfa";
        };
    }

    public List<String> cells() {
        return Arrays.asList(tenantId, tenantName, policyName, policyId, excludedUserId, excludedUpn, excludedDisplayName,
                principalType, excludedVia, policyState, mfaRequirement, text(accountEnabled), userType,
                Boolean.toString(resolved), text(inScope), policyTarget, text(eligible), text(shadowed), closedBy,
                lastSignIn, number(signIns), number(singleFactorSignIns));
    }

    private static String number(Integer n) {
        return n == null ? null : n.toString();
    }

    private static String text(Boolean b) {
        return b == null ? null : b.toString();
    }
}
