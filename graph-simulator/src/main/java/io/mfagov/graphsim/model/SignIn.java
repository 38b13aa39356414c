package io.mfagov.graphsim.model;

import java.util.List;

/** A sign-in event (compact); rendering fills the remaining v1.0 / beta properties. */
public record SignIn(
        String id,
        String createdDateTime,
        String userId,
        String userPrincipalName,
        String userDisplayName,
        String userType,
        String appId,
        String appDisplayName,
        String ipAddress,
        String clientAppUsed,
        boolean isInteractive,
        String conditionalAccessStatus,
        String authenticationRequirement,
        int errorCode,
        String countryOrRegion,
        List<TenantFixture.AppliedPolicy> appliedPolicies) {
}
