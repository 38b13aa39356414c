package io.mfagov.notifier.repository;

public enum DeliveryMode {
    /** Sent as soon as it is due. */
    IMMEDIATE,
    /** Collected into one card per tenant per digest window. */
    DIGEST
}
