package io.mfagov.model.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Where a discovered customer's display name came from. */
public enum NameSource {
    /** The tenant's own {@code organization} read (current). */
    ORGANIZATION,
    /** The GDAP customer record ({@code delegatedAdminCustomer.displayName}). */
    DELEGATED_ADMIN_CUSTOMER,
    /** The partner contract: a copy taken when the partnership began, possibly stale. */
    CONTRACT,
    @JsonEnumDefaultValue
    UNKNOWN
}
