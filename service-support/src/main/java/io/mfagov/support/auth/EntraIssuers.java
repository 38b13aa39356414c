package io.mfagov.support.auth;

import java.util.Locale;

/**
 * Whether a token's issuer, version and tenant are those of the configured Entra tenant. Entra issues v1 access
 * tokens ({@code ver} 1.0, {@code iss} {@code https://sts.windows.net/<tid>/}) unless the API's manifest sets
 * {@code requestedAccessTokenVersion: 2} ({@code ver} 2.0, {@code iss} {@code https://login.microsoftonline.com/<tid>/v2.0}).
 */
public final class EntraIssuers {

    private EntraIssuers() {
    }

    public static String v1(String tenantId) {
        return "https://sts.windows.net/" + tenantId.toLowerCase(Locale.ROOT) + "/";
    }

    public static String v2(String tenantId) {
        return "https://login.microsoftonline.com/" + tenantId.toLowerCase(Locale.ROOT) + "/v2.0";
    }

    /** Null when the token is the configured tenant's, else why not (for the log, never for the caller). */
    public static String refusal(String tenantId, String iss, String tid, String ver) {
        if (tid == null || !tid.equalsIgnoreCase(tenantId)) {
            return "tid is not the configured tenant";
        }
        if ("1.0".equals(ver)) {
            return v1(tenantId).equals(iss) ? null : "a v1 token from another issuer";
        }
        if ("2.0".equals(ver)) {
            return v2(tenantId).equals(iss) ? null : "a v2 token from another issuer";
        }
        return "ver is neither 1.0 nor 2.0";
    }
}
