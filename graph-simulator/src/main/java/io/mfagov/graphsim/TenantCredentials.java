package io.mfagov.graphsim;

/**
 * What a client needs to authenticate as a tenant's simulated app: SIMULATOR-ONLY values.
 *
 * @param tenantId               the tenant (directory) id
 * @param clientId               the simulated app's client (application) id
 * @param simulatorClientSecret  the simulated app's secret (valid only against this simulator)
 * @param authorityHost          https authority host for azure-identity's {@code authorityHost(...)}
 * @param tokenUrl               the token endpoint, {@code authorityHost/tenantId/oauth2/v2.0/token}
 * @param graphBaseUrl           Graph v1.0 base URL (http)
 * @param staticToken            a static bearer token for this tenant (accepted when static tokens are enabled)
 */
public record TenantCredentials(String tenantId, String clientId, String simulatorClientSecret, String authorityHost,
                                String tokenUrl, String graphBaseUrl, String staticToken) {
}
