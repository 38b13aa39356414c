package io.mfagov.notifier.repository;

import io.mfagov.model.events.Severity;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** Where alerts go. Never exposed over REST as such. */
@Entity
@Table(name = "destination")
public class Destination {

    @Id
    public UUID id;
    /** null: the MSP default. */
    public String tenantId;
    public String name;
    @Enumerated(EnumType.STRING)
    public DestinationType type;
    public byte[] urlCiphertext;
    public String urlDisplay;
    public byte[] secretCiphertext;
    /** Comma-separated alert kinds; null: every kind. */
    public String kinds;
    @Enumerated(EnumType.STRING)
    public Severity minSeverity;
    public boolean enabled;
    public Instant createdAt;
    public String createdBy;
    public Instant updatedAt;
    public String updatedBy;
}
