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
        List<TenantFixture.AppliedPolicy> appliedPolicies,
        /** Set for a service principal sign-in (userId is then empty); null for user sign-ins. */
        String servicePrincipalId,
        String servicePrincipalName) {

    public static final String INTERACTIVE_USER = "interactiveUser";
    public static final String NON_INTERACTIVE_USER = "nonInteractiveUser";
    public static final String SERVICE_PRINCIPAL = "servicePrincipal";

    /** The beta signInEventTypes value: interactiveUser, nonInteractiveUser or servicePrincipal. */
    public String eventType() {
        return servicePrincipalId != null ? SERVICE_PRINCIPAL : isInteractive ? INTERACTIVE_USER : NON_INTERACTIVE_USER;
    }
}
