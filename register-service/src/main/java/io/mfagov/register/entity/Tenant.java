package io.mfagov.register.entity;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;

import java.time.Instant;

/**
 * A managed Entra tenant and its scan schedule. Updates write only the columns that changed ({@link DynamicUpdate}):
 * an admin's change never writes back the scan bookkeeping columns (last requested / finished, status, failure streak),
 * which background paths update with targeted statements ({@code TenantService.enqueueScan},
 * {@code recordScanFinished}).
 */
@Entity
@DynamicUpdate
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
