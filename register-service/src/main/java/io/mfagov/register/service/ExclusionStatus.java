package io.mfagov.register.service;

/** Where an exclusion stands against the register's exceptions. */
public enum ExclusionStatus {
    /** An active approved exception covers it. */
    APPROVED,
    /** An exception covering it is requested, not yet approved. */
    PENDING,
    /** No exception covers it. */
    UNAPPROVED,
    /** Approved, but the exception expires within the warning window. */
    EXPIRING,
    /** The exception covering it has expired. */
    EXPIRED,
    /** A complete scan no longer saw it (kept, not deleted). */
    REMOVED
}
