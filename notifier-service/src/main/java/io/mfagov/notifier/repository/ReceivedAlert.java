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

/** An alert as received from the register, once per alert id. */
@Entity
@Table(name = "received_alert")
public class ReceivedAlert {

    @Id
    public String alertId;
    public UUID eventId;
    public String tenantId;
    @Enumerated(EnumType.STRING)
    public AlertKind kind;
    @Enumerated(EnumType.STRING)
    public Severity severity;
    public String subject;
    public String exclusionId;
    public String exceptionId;
    /** The AlertRaised payload as JSON, to build messages from. */
    public String payload;
    public Instant raisedAt;
    public Instant receivedAt;
}
