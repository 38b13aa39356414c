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
    /** Remediation (issue 15), opt-in: the register may remove exclusions of this tenant (with approval). */
    public boolean enforcementEnabled;
    /** Expiry removals are approved by the register itself (actor {@code lifecycle}). */
    public boolean autoApplyExpiry;
    /** Removing a principal's membership of an excluding group is allowed (otherwise such routes are manual). */
    public boolean groupMembershipRemoval;
    /** Days after an exception's expiry before its exclusions are planned for removal. */
    public int enforcementGraceDays = 7;
    /** UNKNOWN, PERMITTED, NOT_PERMITTED: from the last remediation answer (targeted UPDATEs only). */
    public String enforcementStatus = "UNKNOWN";
    /** JSON array of the permissions to grant when NOT_PERMITTED. */
    @jakarta.persistence.Column(columnDefinition = "text")
    public String enforcementMissingPermissions = "[]";
    public Instant enforcementCheckedAt;

    // --- Access (issue 16): the latest checking scan's verdict, written by the intake only (targeted UPDATEs) ---
    /** {@code AccessStatus} name; null until a scan checked. */
    public String accessStatus;
    public String accessDetail;
    public String accessConsentUrl;
    @jakarta.persistence.Column(columnDefinition = "text")
    public String accessMissingPermissions = "[]";
    @jakarta.persistence.Column(columnDefinition = "text")
    public String accessDisabledReads = "[]";
    @jakarta.persistence.Column(columnDefinition = "text")
    public String accessGrantedPermissions = "[]";
    public Instant accessCheckedAt;
    /** The scan that began the current access problem (its ACCESS_PROBLEM alert); null while access is fine. */
    public java.util.UUID accessEpisodeScanId;

    // --- Discovery (issue 16): what the partner tenant's discovery says (intake only, targeted UPDATEs) -----------
    public Instant discoveredAt;
    public Instant discoveryLastSeenAt;
    public String discoveryPartnerTenantId;
    /** {@code NameSource} of displayName when discovery set it. */
    public String nameSource;
    public String defaultDomain;
    public String contractType;
    /** ACTIVE, EXPIRING, ENDED, PENDING, NONE (service.Onboarding#relationshipSummary); null: never discovered. */
    public String relationshipStatus;
    public Instant relationshipEndsAt;
    public Boolean relationshipAutoExtends;
    /** JSON: the DelegatedRelationship list of the latest discovery. */
    @jakarta.persistence.Column(columnDefinition = "text")
    public String relationships = "[]";
}
