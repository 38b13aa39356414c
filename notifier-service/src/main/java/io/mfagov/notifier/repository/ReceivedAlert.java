package io.mfagov.notifier.repository;

import jakarta.persistence.Entity;
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
    public String kind;
    public String severity;
    public String subject;
    public String exclusionId;
    public String exceptionId;
    /** The AlertRaised payload as JSON, to build messages from. */
    public String payload;
    public Instant raisedAt;
    public Instant receivedAt;
}
