package io.mfagov.model.events;

import io.mfagov.model.Require;

import java.time.Instant;
import java.util.List;

/**
 * One granular delegated admin (GDAP) relationship with a customer, as Graph's
 * {@code delegatedAdminRelationship} gives it.
 *
 * @param id                 the relationship id
 * @param displayName        its name in Partner Center
 * @param status             Graph's status as sent: {@code active}, {@code approvalPending}, {@code activating},
 *                           {@code created}, {@code approved}, {@code expiring}, {@code expired}, {@code terminating},
 *                           {@code terminationRequested}, {@code terminated}, or a newer value
 * @param createdDateTime    when created
 * @param activatedDateTime  when the customer approved it (null before)
 * @param endDateTime        when it ends (null when not yet active)
 * @param autoExtendDuration ISO-8601 duration it extends by at its end ({@code P180D}); {@code PT0S} or null = never
 * @param roleDefinitionIds  the Entra roles it grants (built-in role template ids)
 */
public record DelegatedRelationship(
        String id,
        String displayName,
        String status,
        Instant createdDateTime,
        Instant activatedDateTime,
        Instant endDateTime,
        String autoExtendDuration,
        List<String> roleDefinitionIds) {

    public DelegatedRelationship {
        Require.text(id, "id");
        Require.text(status, "status");
        roleDefinitionIds = roleDefinitionIds == null ? List.of() : List.copyOf(roleDefinitionIds);
    }

    /** The relationship grants its roles now: {@code active}, or {@code expiring} (still active until its end). */
    public boolean grantsAccess() {
        return "active".equals(status) || "expiring".equals(status);
    }

    /** The relationship is over: it will never grant access again. */
    public boolean ended() {
        return "expired".equals(status) || "terminated".equals(status) || "terminating".equals(status)
                || "terminationRequested".equals(status);
    }

    /** It extends itself at its end. */
    public boolean autoExtends() {
        return autoExtendDuration != null && !autoExtendDuration.isBlank() && !"PT0S".equals(autoExtendDuration)
                && !"P0D".equals(autoExtendDuration);
    }
}
