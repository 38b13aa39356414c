package io.mfagov.notifier.repository;

import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.Severity;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One alert to one destination: the idempotency record and the retry state. */
@Entity
@Table(name = "delivery")
public class Delivery {

    @Id
    public UUID id;
    public String alertId;
    public UUID destinationId;
    public String tenantId;
    @Enumerated(EnumType.STRING)
    public AlertKind kind;
    @Enumerated(EnumType.STRING)
    public Severity severity;
    @Enumerated(EnumType.STRING)
    public DeliveryMode mode;
    @Enumerated(EnumType.STRING)
    public DeliveryStatus status;
    public int attempts;
    public Instant nextAttemptAt;
    public Instant leaseUntil;
    /** The claim holding the lease (new with every claim); an outcome is recorded only under it. */
    public UUID claimToken;
    public Instant deadlineAt;
    public Instant createdAt;
    public Instant raisedAt;
    public Instant lastAttemptAt;
    public Instant deliveredAt;
    public Instant deadAt;
    public Integer lastStatusCode;
    public String lastError;
    public UUID muteId;
}
