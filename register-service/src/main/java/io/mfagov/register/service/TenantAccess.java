package io.mfagov.register.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mfagov.model.EventCodec;
import io.mfagov.model.events.AccessStatus;
import io.mfagov.model.events.ScanCompleted;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.register.entity.JsonColumns;
import io.mfagov.register.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.sql.PreparedStatement;
import org.hibernate.Session;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A tenant's access (issue 16) from the access check each scan makes before it reads anything: stored on the tenant
 * with one targeted UPDATE (an admin's change of the tenant is neither undone nor undoes it), the enforcement status
 * from the write permissions the token carries, and ACCESS_PROBLEM once per episode.
 */
@ApplicationScoped
public class TenantAccess {

    private final EntityManager em;
    private final Alerts alerts;
    private final Outbox outbox;
    private final AuditLog audit;

    public TenantAccess(EntityManager em, Alerts alerts, Outbox outbox, AuditLog audit) {
        this.em = em;
        this.alerts = alerts;
        this.outbox = outbox;
        this.audit = audit;
    }

    /**
     * Records the scan's access verdict on its tenant (registered before). Returns whether the scan's failure is an
     * access problem that ACCESS_PROBLEM speaks for (then SCAN_FAILED is not raised for it), see {@link Result}. A scan without an access
     * check (a producer before it existed) changes nothing; one older than the tenant's latest check (out of order)
     * changes nothing either, but its failure is still covered.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Result recorded(ScanCompleted c, Instant now) {
        em.flush();
        String tenantId = c.tenantId().toLowerCase(Locale.ROOT);
        Object[] row = (Object[]) em.createNativeQuery("select access_status, access_missing_permissions,"
                        + " access_episode_scan_id, access_checked_at, enforcement_enabled, display_name from tenant"
                        + " where tenant_id = ?1 for update")
                .setParameter(1, tenantId).getSingleResult();
        String previousStatus = (String) row[0];
        List<String> previousToGrant = JsonColumns.strings((String) row[1]);
        Object previousEpisode = row[2];
        Instant previousCheck = instant(row[3]);
        boolean enforcementEnabled = Boolean.TRUE.equals(row[4]);
        String tenantName = (String) row[5];
        boolean wasProblem = previousEpisode != null;
        if (c.accessStatus() == null) {
            return new Result(false, wasProblem);
        }

        AccessStatus status = c.accessStatus();
        boolean problem = OnboardingRules.isProblem(status, c.missingPermissions(), c.missingWritePermissions(),
                enforcementEnabled);
        boolean covers = problem && c.status() == ScanStatus.FAILED;
        if (previousCheck != null && c.finishedAt().isBefore(previousCheck)) {
            return new Result(covers, wasProblem); // an older scan arriving late: the tenant's newer verdict stands
        }
        List<String> toGrant = OnboardingRules.permissionsToGrant(c.missingPermissions(), c.missingWritePermissions());
        UUID episode = null;
        if (problem) {
            if (OnboardingRules.sameEpisode(previousStatus, previousToGrant, previousEpisode, status, toGrant)) {
                episode = previousEpisode instanceof UUID u ? u : UUID.fromString(previousEpisode.toString());
            } else {
                episode = c.scanId();
                outbox.enqueue(alerts.accessProblemMessage(tenantId, tenantName, c, toGrant, now), now);
            }
        }
        String detail = c.error() != null && !c.error().isBlank() ? c.error() : OnboardingRules.reason(status);
        UUID episodeScan = episode;
        em.unwrap(Session.class).doWork(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("update tenant set access_status = ?, access_detail = ?,"
                    + " access_consent_url = ?, access_missing_permissions = ?, access_disabled_reads = ?,"
                    + " access_granted_permissions = ?, access_checked_at = ?, access_episode_scan_id = ?"
                    + " where tenant_id = ?")) {
                ps.setString(1, status.name());
                ps.setString(2, cap(detail, 2048));
                ps.setString(3, cap(c.consentUrl(), 1024));
                ps.setString(4, json(toGrant));
                ps.setString(5, json(c.disabledReads()));
                ps.setString(6, json(c.grantedPermissions()));
                ps.setObject(7, OffsetDateTime.ofInstant(c.finishedAt(), ZoneOffset.UTC));
                ps.setObject(8, episodeScan);
                ps.setString(9, tenantId);
                ps.executeUpdate();
            }
        });
        // The enforcement status follows the token's roles when the check read them (a token was issued).
        if (status == AccessStatus.OK || status == AccessStatus.MISSING_PERMISSIONS) {
            List<String> writes = c.missingWritePermissions();
            em.createNativeQuery("update tenant set enforcement_status = ?1, enforcement_missing_permissions = ?2,"
                            + " enforcement_checked_at = ?3 where tenant_id = ?4")
                    .setParameter(1, writes.isEmpty() ? "PERMITTED" : "NOT_PERMITTED")
                    .setParameter(2, json(writes)).setParameter(3, now).setParameter(4, tenantId).executeUpdate();
        }
        if (!status.name().equals(previousStatus)) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("scanId", c.scanId().toString());
            details.put("from", previousStatus);
            details.put("to", status.name());
            if (!toGrant.isEmpty()) {
                details.put("missingPermissions", toGrant);
            }
            audit.append(tenantId, ScanResultService.ACTOR, "TENANT_ACCESS_CHANGED", "tenant", tenantId, details);
        }
        return new Result(covers, wasProblem);
    }

    /**
     * What the scan's access verdict means for SCAN_FAILED: {@code coversFailure} — the scan failed for an access
     * problem that ACCESS_PROBLEM speaks for; {@code wasProblem} — the tenant was in an access-problem episode before
     * this scan (so a failure now, for another reason, is the first of its kind even inside a failure streak).
     */
    public record Result(boolean coversFailure, boolean wasProblem) {
    }

    static Instant instant(Object value) {
        if (value == null) {
            return null;
        } else if (value instanceof Instant i) {
            return i;
        } else if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        } else if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + value.getClass());
    }

    static String json(Object value) {
        try {
            return EventCodec.get().mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String cap(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
