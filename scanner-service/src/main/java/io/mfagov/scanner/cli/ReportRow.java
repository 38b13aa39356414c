package io.mfagov.scanner.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.mfagov.model.events.MfaRequirement;
import io.mfagov.model.events.Principal;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.scanner.service.Detection;

import java.util.List;

/** One row of the one-shot report: the guide's columns first (TenantName added after TenantId), then ours. */
@JsonPropertyOrder({"TenantId", "TenantName", "PolicyName", "PolicyId", "ExcludedUserId", "ExcludedUPN", "ExcludedDisplayName",
    "PrincipalType", "ExcludedVia", "PolicyState", "MfaRequirement", "AccountEnabled", "UserType", "Resolved"})
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
        @JsonProperty("Resolved") boolean resolved) {

    public static final List<String> COLUMNS = List.of("TenantId", "TenantName", "PolicyName", "PolicyId", "ExcludedUserId",
            "ExcludedUPN", "ExcludedDisplayName", "PrincipalType", "ExcludedVia", "PolicyState", "MfaRequirement",
            "AccountEnabled", "UserType", "Resolved");

    public static ReportRow of(String tenantId, String tenantName, Detection d) {
        Principal p = d.principal();
        String requirement = d.policy().mfaRequirement() == MfaRequirement.AUTH_STRENGTH
                ? "authenticationStrength:" + (d.policy().authenticationStrength() == null ? "" : d.policy().authenticationStrength())
                : "mfa";
        return new ReportRow(tenantId, tenantName, d.policy().displayName(), d.policy().id(), p.id(),
                p.type() == PrincipalType.USER ? p.userPrincipalName() : null, p.displayName(), p.type().name(),
                d.via().describe(), d.policy().state().graphValue(), requirement, p.accountEnabled(), p.userType(),
                Boolean.TRUE.equals(p.resolved()));
    }

    public List<String> cells() {
        return java.util.Arrays.asList(tenantId, tenantName, policyName, policyId, excludedUserId, excludedUpn, excludedDisplayName,
                principalType, excludedVia, policyState, mfaRequirement,
                accountEnabled == null ? null : accountEnabled.toString(), userType, Boolean.toString(resolved));
    }
}
