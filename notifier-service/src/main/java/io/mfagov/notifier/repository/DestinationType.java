package io.mfagov.notifier.repository;

/** How a destination is reached. */
public enum DestinationType {
    /** Microsoft Teams through a Workflows webhook ("When a Teams webhook request is received"): Adaptive Cards. */
    TEAMS_WORKFLOW,
    /** A generic JSON webhook (PSAs, automation), signed with HMAC-SHA256. */
    WEBHOOK
}
