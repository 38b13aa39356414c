package io.mfagov.register.repository;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A managed Entra tenant and its scan schedule. */
@Entity
@Table(name = "tenant")
public class Tenant {

    @Id
    public String tenantId;
    public String displayName;
    public String psaCompanyId;
    public int scanIntervalMinutes;
    public String alertRoute;
    public String credentialRef;
    public boolean enabled;
    public boolean discovered;
    public Instant lastScanRequestedAt;
    public Instant lastScanFinishedAt;
    public String lastScanStatus;
    public int failureStreak;
    public Instant createdAt;
    public String createdBy;
    public Instant updatedAt;
    public String updatedBy;
}
