package io.mfagov.model.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** What a {@link RemediationRequested} asks of the scanner. */
public enum RemediationMode {
    /** Dry run: read the tenant, compute the minimal change and answer with {@link RemediationPlanned}; write nothing. */
    PLAN,
    /** Write the approved plan, if the tenant still matches it; otherwise re-plan and write nothing. */
    APPLY,
    /** Re-add exactly what an applied plan removed, if the tenant still matches what that write left. */
    ROLLBACK,
    /** A value added by a newer producer; read as this so old consumers keep going. Never produced. */
    @JsonEnumDefaultValue
    UNKNOWN
}
