package io.mfagov.notifier.repository;

import io.mfagov.model.events.AlertKind;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A snooze: alerts matching every non-null field are not sent until {@code until}. */
@Entity
@Table(name = "mute")
public class Mute {

    @Id
    public UUID id;
    public String tenantId;
    public String exclusionId;
    /** null: every kind. */
    @Enumerated(EnumType.STRING)
    public AlertKind kind;
    public Instant until;
    public String reason;
    public Instant createdAt;
    public String createdBy;
}
