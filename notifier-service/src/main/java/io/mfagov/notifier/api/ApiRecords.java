package io.mfagov.notifier.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.Severity;
import io.mfagov.notifier.repository.DeliveryMode;
import io.mfagov.notifier.repository.DeliveryStatus;
import io.mfagov.notifier.repository.DestinationType;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the API reads and writes. Entities never cross the API. */
public final class ApiRecords {

    private ApiRecords() {
    }

    /**
     * Create or replace a destination. On replace, an absent {@code url} or {@code secret} keeps the stored one.
     *
     * @param tenantId    the tenant it serves; absent = an MSP default
     * @param kinds       alert kinds it takes; absent or empty = every kind
     * @param minSeverity lowest severity it takes (default INFO)
     * @param secret      WEBHOOK only: the signing secret; absent on create = one is generated and shown once
     */
    public record DestinationInput(String name, String tenantId, DestinationType type, String url, String secret,
            List<AlertKind> kinds, Severity minSeverity, Boolean enabled) {
    }

    /** A destination as shown: the URL without its query (Teams Workflows URLs carry a signature there), never the secret. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DestinationView(UUID id, String name, String tenantId, DestinationType type, String url,
            List<String> kinds, String minSeverity, boolean enabled, boolean signed, Instant createdAt,
            String createdBy, Instant updatedAt, String updatedBy) {
    }

    /** The answer to a create: the destination, and its signing secret this one time (WEBHOOK only). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DestinationCreated(DestinationView destination, String secret) {
    }

    /** The outcome of "send a test message". */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TestResult(boolean delivered, Integer statusCode, String error) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeliveryView(UUID id, String alertId, UUID destinationId, String tenantId, String kind,
            String severity, DeliveryMode mode, DeliveryStatus status, int attempts, Instant nextAttemptAt,
            Instant createdAt, Instant raisedAt, Instant lastAttemptAt, Instant deliveredAt, Instant deadAt,
            Integer lastStatusCode, String lastError, UUID muteId) {
    }

    public record Page<T>(List<T> items, int count) {
    }

    /** Re-drive several dead letters at once (of one destination, or all). */
    public record RetryResult(int retried) {
    }

    /** A snooze: at least one of tenantId, exclusionId, kind; {@code until} in the future. */
    public record MuteInput(String tenantId, String exclusionId, AlertKind kind, Instant until, String reason) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MuteView(UUID id, String tenantId, String exclusionId, String kind, Instant until, String reason,
            boolean active, Instant createdAt, String createdBy) {
    }

}
