package io.mfagov.model.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * Whether the MSP's app can read a tenant, decided before a scan reads anything (the token request and the
 * {@code roles} claim of the tenant's app-only token; no Graph read) — never a bare FAILED.
 */
public enum AccessStatus {
    /** A token was issued and its roles hold every permission the scan and the lifecycle's writes use. */
    OK,
    /**
     * A token was issued but its roles lack permissions: the reads they enable are skipped (listed in
     * {@code disabledReads}); the scan FAILED when a required one is missing, otherwise COMPLETE without those reads.
     * Never set for the lifecycle's write permissions alone: only tenants that opt in to removals grant them, and
     * {@code missingWritePermissions} reports them.
     */
    MISSING_PERMISSIONS,
    /** The app is not present in the tenant: nobody consented to it there (Entra AADSTS700016). */
    NO_CONSENT,
    /** Entra refused the credential: wrong or expired secret, unknown certificate, federated assertion not trusted. */
    CREDENTIALS_REJECTED,
    /** No credential set is configured for the tenant's credentialRef (or none at all). */
    NO_CREDENTIALS,
    /** Entra does not know the tenant (AADSTS90002): deleted, or a wrong tenant id. */
    TENANT_NOT_FOUND,
    /** The token endpoint could not be reached or answered an error that is not about this tenant; retried later. */
    AUTHORITY_UNREACHABLE,
    /** Set by the register, never by the scanner: the partner relationship with this customer has ended. */
    RELATIONSHIP_ENDED,
    /** The scanner could not tell: a static token (Graph stand-ins only) carries no roles. */
    UNCHECKED,
    /** A value added by a newer producer; read as this so old consumers keep going. Never produced. */
    @JsonEnumDefaultValue
    UNKNOWN
}
