package io.mfagov.model.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Why a remediation was not carried out. Nothing was written to the tenant in any of these cases. */
public enum RemediationFailure {
    /** The app lacks the write permission in this tenant (the token's roles, or Graph's 403). */
    ENFORCEMENT_NOT_PERMITTED,
    /** The change would remove a break-glass (or other protected) exclusion: refused. */
    PROTECTED_PRINCIPAL,
    /** The policy (or group) no longer exists. */
    NOT_FOUND,
    /** Graph refused the write (400), e.g. the policy would be left invalid. */
    REFUSED_BY_GRAPH,
    /** Graph failed (5xx, throttled beyond the retries, network). */
    GRAPH_ERROR,
    /** The request came after its {@code notAfter}: an old or replayed request is never carried out. */
    STALE_REQUEST,
    /** A value added by a newer producer; read as this so old consumers keep going. Never produced. */
    @JsonEnumDefaultValue
    UNKNOWN
}
