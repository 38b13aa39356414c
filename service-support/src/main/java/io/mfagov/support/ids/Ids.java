package io.mfagov.support.ids;

import io.mfagov.model.Require;

import java.util.Locale;

/**
 * The id rules of the services: a GUID/UUID in its canonical 8-4-4-4-12 hex form (Entra tenant and object ids, our
 * resource ids); tenant ids are GUIDs, compared and stored in lower case. The pattern itself is written once, in
 * common-model's {@link Require} (the event contracts check ids with it too); request checks that answer 400 build on
 * this ({@code io.mfagov.support.problem.Check#guid}).
 */
public final class Ids {

    private Ids() {
    }

    /** Whether the value is a GUID (surrounding spaces are not allowed). */
    public static boolean isGuid(String value) {
        return value != null && Require.isGuid(value);
    }

    /** Whether the value is an Entra tenant id: a GUID. */
    public static boolean isTenantId(String value) {
        return isGuid(value);
    }

    /** The tenant id as stored and compared: trimmed, lower case; null when the value is not a tenant id. */
    public static String normalisedTenantId(String value) {
        String trimmed = value == null ? null : value.trim();
        return isTenantId(trimmed) ? trimmed.toLowerCase(Locale.ROOT) : null;
    }
}
