package io.mfagov.model.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** What kind of principal an exclusion reaches. */
public enum PrincipalType {
    USER,
    GROUP,
    ROLE,
    GUEST_RULE,
    APPLICATION,
    SERVICE_PRINCIPAL,
    LOCATION,
    /** A non-MFA control that satisfies the policy on its own (grant operator OR), e.g. {@code compliantDevice}. */
    GRANT_ALTERNATIVE,
    /** A device platform the policy does not apply to (excluded, or left out of {@code includePlatforms}). */
    PLATFORM,
    /** A client app type the policy does not target (browser, mobileAppsAndDesktopClients, exchangeActiveSync, other). */
    CLIENT_APP_TYPE,
    /** A device filter that narrows where the policy applies. */
    DEVICE_FILTER,
    /** Sign-in or user risk levels the policy leaves out (it applies only at the others). */
    RISK_CONDITION,
    /** Any other condition that narrows where the policy applies (authentication flows, insider risk, filters). */
    CONDITION,
    /** A custom control (e.g. Duo) standing in for MFA: Entra does not treat it as satisfying its MFA claim. */
    CUSTOM_CONTROL,
    /** A directory object Graph did not return (e.g. a role assignment's principal): its type is unknown. */
    DIRECTORY_OBJECT,
    /** A value added by a newer producer; read as this so old consumers keep going. Never produced. */
    @JsonEnumDefaultValue
    UNKNOWN
}
