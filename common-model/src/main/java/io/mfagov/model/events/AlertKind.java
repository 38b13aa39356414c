package io.mfagov.model.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** What an alert is about. */
public enum AlertKind {
    UNAPPROVED_EXCLUSION,
    EXPIRING,
    EXPIRED,
    EXCLUSION_REMOVED,
    SCAN_FAILED,
    REVIEW_DUE,
    ORPHANED_EXCEPTION,
    /** The tenant enforces no MFA at all: no enabled MFA policy and security defaults off. */
    NO_MFA_ENFORCEMENT,
    /** A user holding a privileged role became uncovered: no enabled MFA policy reaches them. */
    UNCOVERED_PRIVILEGED_USER,
    /** An approved exception whose principal did not sign in for the configured period (default 90 days). */
    UNUSED_EXCEPTION,
    /** Successful single-factor sign-ins by a user: new, or rising by the configured factor. */
    SINGLE_FACTOR_SIGNINS,
    /** A privileged user who cannot do MFA (not registered or not capable). */
    NOT_REGISTERED_PRIVILEGED,
    /** A removal from a tenant was planned and waits for an approver (not its requester). */
    REMEDIATION_PLANNED,
    /** A removal (or its rollback) was written to the tenant and verified. */
    REMEDIATION_APPLIED,
    /** A removal could not be planned or written: no write permission, break-glass protected, refused by Graph. */
    REMEDIATION_FAILED,
    /** After a removal the policy differed in more than the intended change: someone edited it at the same time. */
    REMEDIATION_CONFLICT,
    /**
     * The app cannot read a tenant fully: not consented, a permission missing, credentials rejected, tenant gone;
     * with the admin-consent URL and the permissions to grant.
     */
    ACCESS_PROBLEM,
    /** Discovery found a customer of the partner tenant that the register did not know; registered (maybe disabled). */
    TENANT_DISCOVERED,
    /** A customer's delegated admin relationship ends soon and does not extend itself. */
    RELATIONSHIP_EXPIRING,
    /** A customer's last active delegated admin relationship ended, or the customer left the partner's list. */
    RELATIONSHIP_ENDED,
    /** A value added by a newer producer; read as this so old consumers keep going. Never produced. */
    @JsonEnumDefaultValue
    UNKNOWN
}
