package io.mfagov.notifier.repository;

public enum DeliveryStatus {
    /** Not yet delivered; tried at {@code nextAttemptAt}. */
    PENDING,
    DELIVERED,
    /** Gave up (retry budget spent, or a permanent refusal); re-drivable through the API. */
    DEAD,
    /** Matched a mute when the alert arrived; never sent. */
    MUTED
}
