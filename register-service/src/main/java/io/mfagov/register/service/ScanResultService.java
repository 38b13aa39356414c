package io.mfagov.register.service;

import io.mfagov.register.outbox.Outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mfagov.model.EventCodec;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.EventPayload;
import io.mfagov.model.events.CoverageObserved;
import io.mfagov.model.events.CustomerDiscovered;
import io.mfagov.model.events.DiscoveryCompleted;
import io.mfagov.model.events.ExclusionDetected;
import io.mfagov.model.events.ExclusionUsageObserved;
import io.mfagov.model.events.MfaGapDetected;
import io.mfagov.model.events.TenantPostureObserved;
import io.mfagov.model.events.PathStep;
import io.mfagov.model.events.ScanCompleted;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.register.entity.ExceptionRecord;
import io.mfagov.register.entity.Exclusion;
import io.mfagov.register.repository.ExclusionRows;
import io.mfagov.register.repository.GapSignalRows;
import io.mfagov.register.repository.ProcessedEventRepository;
import io.mfagov.register.entity.Scan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import org.hibernate.Session;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Reconciliation: applies scan results to the register, each event exactly once (its id is recorded
 * in the same transaction as its effects).
 */
@ApplicationScoped
public class ScanResultService {

    private static final Logger LOG = Logger.getLogger(ScanResultService.class);
    /** The actor recorded for what reconciliation does. */
    public static final String ACTOR = "reconciliation";

    private final ProcessedEventRepository processedEvents;
    private final EntityManager em;
    private final Coverage coverage;
    private final Reconciler reconciler;
    private final AuditLog audit;
    private final Alerts alerts;
    private final TenantService tenants;
    private final Outbox outbox;
    private final TenantLocks locks;
    private final MfaCoverage mfaCoverage;
    private final GapSignalAlerts gapAlerts;
    private final Remediations remediations;
    private final TenantAccess access;
    private final Discoveries discoveries;

    public ScanResultService(ProcessedEventRepository processedEvents, EntityManager em, Coverage coverage,
            Reconciler reconciler, AuditLog audit, Alerts alerts, TenantService tenants, Outbox outbox,
            TenantLocks locks, MfaCoverage mfaCoverage, GapSignalAlerts gapAlerts, Remediations remediations,
            TenantAccess access, Discoveries discoveries) {
        this.access = access;
        this.discoveries = discoveries;
        this.remediations = remediations;
        this.mfaCoverage = mfaCoverage;
        this.gapAlerts = gapAlerts;
        this.outbox = outbox;
        this.locks = locks;
        this.processedEvents = processedEvents;
        this.em = em;
        this.coverage = coverage;
        this.reconciler = reconciler;
        this.audit = audit;
        this.alerts = alerts;
        this.tenants = tenants;
    }

    /**
     * What the register takes from {@code mfagov.scan-results}: detections, a scan's coverage, its gap signals
     * (posture, gaps, usage of exclusions), the scan's end; the scanner's answers to remediation requests; and a
     * discovery's customers and end (issue 16).
     */
    public static boolean belongsOnScanResults(EventPayload payload) {
        return Remediations.isAnswer(payload) || payload instanceof CustomerDiscovered
                || payload instanceof DiscoveryCompleted || payload instanceof ExclusionDetected || payload instanceof CoverageObserved
                || payload instanceof TenantPostureObserved || payload instanceof MfaGapDetected
                || payload instanceof ExclusionUsageObserved || payload instanceof ScanCompleted;
    }

    private static String tenantOf(EventPayload p) {
        if (p instanceof ExclusionDetected d) {
            return d.tenantId();
        } else if (p instanceof CoverageObserved o) {
            return o.tenantId();
        } else if (p instanceof TenantPostureObserved o) {
            return o.tenantId();
        } else if (p instanceof MfaGapDetected g) {
            return g.tenantId();
        } else if (p instanceof ExclusionUsageObserved u) {
            return u.tenantId();
        } else if (Remediations.isAnswer(p)) {
            return Remediations.tenantOf(p);
        } else if (p instanceof CustomerDiscovered d) {
            return d.tenantId(); // the partner: discovery touches no exceptions, only targeted tenant rows
        } else if (p instanceof DiscoveryCompleted d) {
            return d.tenantId();
        }
        return ((ScanCompleted) p).tenantId();
    }

    /** Deterministic id of an exclusion: the same detection always maps to the same row and alert ids. */
    public static UUID exclusionId(String tenantId, String exclusionKey) {
        return UUID.nameUUIDFromBytes((tenantId + "|" + exclusionKey).getBytes(StandardCharsets.UTF_8));
    }

    /** Returns false when the event had been processed before (a redelivery or replay). */
    @Transactional
    public boolean apply(EventEnvelope<EventPayload> envelope) {
        return applyAll(List.of(envelope)) == 1;
    }

    /**
     * Applies a batch of scan results in the caller's transaction, in order; returns how many were new. The ids of
     * the batch are recorded in one statement and only the new ones are applied. Runs of detections are applied
     * together (one load of the exclusions they touch, one upsert, one audit and one outbox insert, the tenant's live
     * exceptions read once per run); a CoverageObserved or ScanCompleted is applied where it is, after the detections
     * before it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int applyAll(List<EventEnvelope<EventPayload>> envelopes) {
        for (EventEnvelope<EventPayload> envelope : envelopes) {
            if (!belongsOnScanResults(envelope.payload())) {
                throw new IllegalArgumentException(envelope.eventType() + " does not belong on the scan results topic");
            }
        }
        // Every tenant of the batch is locked first, in one order: a tenant's lock is never waited for while the audit
        // chain's lock (taken by the first append) is held, which could deadlock with the exception workflow.
        Set<String> batchTenants = new LinkedHashSet<>();
        for (EventEnvelope<EventPayload> envelope : envelopes) {
            batchTenants.add(tenantOf(envelope.payload()));
        }
        locks.lockAll(batchTenants);
        audit.lockChain(); // then the audit chain, before any tenant row (lock order: AuditLog.lockChain)
        Set<UUID> fresh = processedEvents.markProcessed(envelopes);
        List<ExclusionDetected> run = new ArrayList<>();
        int applied = 0;
        for (EventEnvelope<EventPayload> envelope : envelopes) {
            if (!fresh.remove(envelope.eventId())) { // processed before, or a second copy within this batch
                LOG.debugf("event %s already processed", envelope.eventId());
                continue;
            }
            applied++;
            if (envelope.payload() instanceof ExclusionDetected detected) {
                run.add(detected);
            } else {
                detected(run, Instant.now());
                run.clear();
                if (envelope.payload() instanceof CoverageObserved observed) {
                    mfaCoverage.observed(observed, Instant.now());
                } else if (envelope.payload() instanceof ScanCompleted c) {
                    completed(c, Instant.now());
                } else if (envelope.payload() instanceof CustomerDiscovered d) {
                    discoveries.customerDiscovered(d, Instant.now());
                    em.clear(); // tenant rows were written directly
                } else if (envelope.payload() instanceof DiscoveryCompleted d) {
                    discoveries.completed(d, Instant.now());
                    em.clear();
                } else if (Remediations.isAnswer(envelope.payload())) {
                    remediations.answered(envelope.payload(), Instant.now());
                    em.flush();
                    em.clear(); // nothing managed stays stale for the direct writes of what follows in the batch
                } else {
                    gapSignal(envelope.payload(), Instant.now());
                }
            }
        }
        detected(run, Instant.now());
        return applied;
    }

    /**
     * Stores a posture, gap or usage of a scan (a second copy of the same fact replaces the first). A posture of a scan
     * that completed COMPLETE already (a replay) has its alerts decided now; their ids are the scan's, nothing twice.
     */
    private void gapSignal(EventPayload p, Instant now) {
        em.flush(); // what came before in the batch, before the rows are written directly
        em.unwrap(Session.class).doWork(c -> {
            if (p instanceof TenantPostureObserved o) {
                GapSignalRows.posture(c, o, now);
            } else if (p instanceof MfaGapDetected g) {
                GapSignalRows.gap(c, g, now);
            } else {
                GapSignalRows.usage(c, (ExclusionUsageObserved) p, now);
            }
        });
        if (p instanceof TenantPostureObserved o && gapAlerts.isComplete(o.scanId())) {
            gapAlerts.scanCompleted(o.scanId(), now);
        }
    }

    private void detected(List<ExclusionDetected> run, Instant now) {
        if (run.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        em.flush(); // what a ScanCompleted before changed, before the rows are read and written directly
        Map<UUID, Integer> received = new LinkedHashMap<>();
        Map<UUID, String> scanTenant = new HashMap<>();
        Set<UUID> ids = new LinkedHashSet<>();
        for (ExclusionDetected d : run) {
            received.merge(d.scanId(), 1, Integer::sum);
            scanTenant.putIfAbsent(d.scanId(), d.tenantId());
            ids.add(exclusionId(d.tenantId(), d.exclusionKey()));
        }
        em.clear(); // nothing managed stays stale: the exclusions are read and written below directly, not by Hibernate
        Set<String> tenantIds = new LinkedHashSet<>();
        run.forEach(d -> tenantIds.add(d.tenantId()));
        // Before anything is read: an exception approved or revoked meanwhile is either committed and read here, or
        // waits until this transaction has written the statuses (and then re-decides them itself).
        locks.lockAll(tenantIds);
        Map<UUID, Exclusion> rows = new HashMap<>();
        for (Exclusion e : em.unwrap(Session.class).doReturningWork(c -> ExclusionRows.load(c, ids))) {
            rows.put(e.id, e);
        }
        Map<UUID, Instant> removalScanStarts = removalScanStarts(rows.values());
        long t1 = System.nanoTime();

        Map<String, List<ExceptionRecord>> exceptionsByTenant = coverage.liveExceptions(tenantIds);
        Map<UUID, Exclusion> touched = new LinkedHashMap<>();
        List<AuditLog.Entry> auditEntries = new ArrayList<>();
        List<Outbox.Pending> alertsOut = new ArrayList<>();
        for (ExclusionDetected d : run) {
            String key = d.exclusionKey();
            UUID id = exclusionId(d.tenantId(), key);
            Exclusion e = rows.get(id);
            boolean appeared = false;
            boolean wasOpen = e != null && opensAWayPast(e.inScope, e.closedById);
            if (e == null) {
                e = new Exclusion();
                e.id = id;
                e.tenantId = d.tenantId();
                e.exclusionKey = key;
                e.firstSeenAt = d.observedAt();
                e.appearedAt = d.observedAt();
                e.lastSeenAt = d.observedAt();
                appeared = true;
                rows.put(id, e);
            } else if (e.removedAt != null) {
                if (!observedSinceRemoval(d.observedAt(), e.removedAt,
                        e.removedByScanId == null ? null : removalScanStarts.get(e.removedByScanId))) {
                    // A stale detection (a late or replayed record of a scan before the one that removed it): it
                    // says nothing about now, so the exclusion stays removed.
                    LOG.debugf("detection of removed exclusion %s observed %s, before its removal: ignored", e.id,
                            d.observedAt());
                    continue;
                }
                e.removedAt = null;
                e.removedByScanId = null;
                e.appearedAt = d.observedAt();
                appeared = true;
            }
            if (appeared || !d.observedAt().isBefore(e.lastSeenAt)) {
                copyDetails(e, d);
                e.lastSeenAt = d.observedAt();
                e.lastScanId = d.scanId();
            }
            List<ExceptionRecord> exceptions = exceptionsByTenant.computeIfAbsent(d.tenantId(), coverage::liveExceptions);
            String before = Coverage.apply(e, coverage.decide(e, exceptions, now));
            touched.put(id, e);
            for (ExceptionRecord x : exceptions) {
                if (x.orphaned && Coverage.covers(x, e)) {
                    x.orphaned = false;
                    auditEntries.add(new AuditLog.Entry(e.tenantId, ACTOR, "EXCEPTION_NO_LONGER_ORPHANED", "exception", x.id,
                            Map.of()));
                }
            }
            if (raisesUnapprovedAlert(appeared, wasOpen, opensAWayPast(e.inScope, e.closedById), e.status)) {
                alertsOut.add(alerts.unapprovedExclusionMessage(e, now));
            }
            if (appeared) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("scanId", d.scanId().toString());
                details.put("policyId", e.policyId);
                details.put("principal", e.principalType + ":" + e.principalId);
                details.put("path", e.viaPath);
                details.put("status", e.status);
                if (e.inScope != null) {
                    details.put("inScope", e.inScope);
                }
                if (e.closedById != null) {
                    details.put("closedBy", e.closedById);
                }
                auditEntries.add(new AuditLog.Entry(e.tenantId, ACTOR,
                        "NEW".equals(before) ? "EXCLUSION_DETECTED" : "EXCLUSION_REAPPEARED", "exclusion", e.id, details));
            } else if (before != null) {
                auditEntries.add(new AuditLog.Entry(e.tenantId, ACTOR, "EXCLUSION_STATUS_CHANGED", "exclusion", e.id,
                        Map.of("from", before, "to", e.status)));
            }
        }
        em.flush(); // exceptions no longer orphaned
        long t2 = System.nanoTime();
        em.unwrap(Session.class).doWork(c -> {
            countReceived(c, received, scanTenant, now);
            ExclusionRows.upsert(c, touched.values());
        });
        long t3 = System.nanoTime();
        audit.appendAll(auditEntries);
        long t4 = System.nanoTime();
        outbox.enqueueAll(alertsOut, now);
        em.clear();
        if (LOG.isDebugEnabled()) {
            LOG.debugf("%d detections: load %d ms, decide %d ms, upsert %d ms, audit %d ms, outbox %d ms", run.size(),
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000,
                    (System.nanoTime() - t4) / 1_000_000);
        }
    }

    /** When the scans that removed these exclusions started (scanner clock), by scan id. */
    private Map<UUID, Instant> removalScanStarts(Collection<Exclusion> rows) {
        Set<UUID> scans = new LinkedHashSet<>();
        rows.stream().filter(e -> e.removedAt != null && e.removedByScanId != null).forEach(e -> scans.add(e.removedByScanId));
        Map<UUID, Instant> starts = new HashMap<>();
        if (!scans.isEmpty()) {
            em.createQuery("select s.scanId, s.startedAt from Scan s where s.scanId in :ids and s.startedAt is not null",
                            Object[].class)
                    .setParameter("ids", scans).getResultList()
                    .forEach(r -> starts.put((UUID) r[0], (Instant) r[1]));
        }
        return starts;
    }

    /**
     * Whether a detection of a removed exclusion was observed after its removal, so that it is back. The removing scan
     * swept what it had not seen since it started, so a detection observed at or after that start (same clock: the
     * scanner's) is newer than what the removal was based on; one observed before is stale. Without the scan's start,
     * the register's removal time is the bound.
     */
    static boolean observedSinceRemoval(Instant observedAt, Instant removedAt, Instant removingScanStart) {
        return removingScanStart != null ? !observedAt.isBefore(removingScanStart) : observedAt.isAfter(removedAt);
    }

    /**
     * UNAPPROVED_EXCLUSION is raised when an exclusion that opens a way past its policy appears (first detected, or
     * back after its removal) without an approved exception. One that opens nothing — out of the policy's scope
     * ({@code inScope=false}: cleanup material) or closed by another policy ({@code closedBy}, e.g. a legacy-auth
     * block) — is listed but raises nothing; should a later detection show it open (the block was disabled), it is
     * raised then. Any other detection of a present exclusion raises nothing, whatever its status (its alert went out
     * when it appeared; the alert id carries the appearance's day, so a replay, or a second opening within the same
     * appearance, yields the same id and the outbox keeps one).
     */
    static boolean raisesUnapprovedAlert(boolean appeared, boolean wasOpen, boolean open, String status) {
        return open && (appeared || !wasOpen) && ExclusionStatus.UNAPPROVED.name().equals(status);
    }

    /**
     * Whether an exclusion opens a way past its policy: not when the policy does not target the principal anyway
     * ({@code inScope=false}) nor when another enabled policy closes the hole ({@code closedBy}). Unknown (null) opens.
     */
    static boolean opensAWayPast(Boolean inScope, String closedById) {
        return !Boolean.FALSE.equals(inScope) && closedById == null;
    }

    /**
     * How a ScanCompleted reconciles: only a COMPLETE scan whose every announced detection arrived may remove
     * exclusions (SWEPT); a COMPLETE scan with detections missing removes nothing (COUNT_MISMATCH); a PARTIAL or FAILED
     * scan never removes anything (NOT_COMPLETE).
     */
    static String reconciliation(ScanStatus status, int received, Integer announced) {
        if (status != ScanStatus.COMPLETE) {
            return "NOT_COMPLETE";
        }
        return announced != null && received == announced ? "SWEPT" : "COUNT_MISMATCH";
    }

    /** SCAN_FAILED is raised once per failure streak: for the first FAILED scan after one that did not fail. */
    static boolean raisesScanFailedAlert(ScanStatus status, int failureStreak) {
        return status == ScanStatus.FAILED && failureStreak == 1;
    }

    /**
     * SCAN_FAILED once per failure streak, but not for a failure ACCESS_PROBLEM speaks for (no consent, permissions,
     * credentials: the access check named it); a failure for another reason right after an access problem is the first
     * of its kind, so it is raised even inside the streak.
     */
    static boolean raisesScanFailedAlert(ScanStatus status, int failureStreak, TenantAccess.Result access) {
        if (status != ScanStatus.FAILED || access.coversFailure()) {
            return false;
        }
        return failureStreak == 1 || access.wasProblem();
    }

    private static void countReceived(Connection c, Map<UUID, Integer> received, Map<UUID, String> scanTenant, Instant now)
            throws SQLException {
        int n = received.size();
        String[] scans = new String[n];
        String[] tenants = new String[n];
        Integer[] counts = new Integer[n];
        int i = 0;
        for (Map.Entry<UUID, Integer> r : received.entrySet()) {
            scans[i] = r.getKey().toString();
            tenants[i] = scanTenant.get(r.getKey());
            counts[i] = r.getValue();
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into scan (scan_id, tenant_id, status, received_count,"
                + " first_received_at) select u.s, u.t, 'RUNNING', u.n, ? from unnest(?::uuid[], ?::varchar[], ?::int[])"
                + " as u (s, t, n) on conflict (scan_id) do update set received_count = scan.received_count"
                + " + excluded.received_count")) {
            ps.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.setArray(2, c.createArrayOf("varchar", scans));
            ps.setArray(3, c.createArrayOf("varchar", tenants));
            ps.setArray(4, c.createArrayOf("int4", counts));
            ps.executeUpdate();
        }
    }

    private static void copyDetails(Exclusion e, ExclusionDetected d) {
        e.policyId = d.policy().id();
        e.policyName = d.policy().displayName();
        e.policyState = d.policy().state().name();
        e.mfaRequirement = d.policy().mfaRequirement().name();
        e.principalType = d.principal().type().name();
        e.principalId = d.principal().id();
        e.principalUpn = d.principal().userPrincipalName();
        e.principalDisplayName = d.principal().displayName();
        e.principalUserType = d.principal().userType();
        e.accountEnabled = d.principal().accountEnabled();
        e.resolved = Boolean.TRUE.equals(d.principal().resolved());
        e.viaKind = d.via().kind().name();
        e.viaId = d.via().id();
        e.viaDisplayName = d.via().displayName();
        e.viaPathIds = d.via().path().stream().map(PathStep::id).collect(Collectors.joining(" "));
        e.viaPath = d.via().describe();
        e.policyCustomControl = d.policy().customControl();
        e.inScope = d.inScope();
        e.policyTarget = d.policyTarget();
        e.eligible = d.eligible();
        e.shadowed = d.shadowed();
        e.closedById = d.closedBy() == null ? null : d.closedBy().id();
        e.closedByName = d.closedBy() == null ? null : d.closedBy().displayName();
        e.details = json(d.details());
        e.flags = json(d.flags());
    }

    private static String json(Object value) {
        try {
            return EventCodec.get().mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void completed(ScanCompleted c, Instant now) {
        // Nothing stale stays managed: the sweep below writes exclusions directly, and the refresh then reads them.
        em.flush();
        em.clear();
        locks.lock(c.tenantId()); // the sweep and refresh must not interleave with the exception workflow
        Scan scan = em.find(Scan.class, c.scanId());
        boolean newScan = scan == null;
        if (newScan) {
            scan = new Scan();
            scan.scanId = c.scanId();
            scan.tenantId = c.tenantId();
            scan.receivedCount = 0;
            scan.firstReceivedAt = now;
        }
        scan.requestId = c.requestId();
        scan.status = c.status().name();
        scan.startedAt = c.startedAt();
        scan.finishedAt = c.finishedAt();
        scan.detectionCount = c.detectionCount();
        scan.graphRequestCount = c.graphRequestCount();
        scan.error = c.error();
        scan.notes = json(c.notes());
        scan.completedAt = now;
        if (newScan) {
            em.persist(scan); // after the fields: Hibernate captures the insert's state at persist
        }

        tenants.ensure(c.tenantId(), now);
        // Only the scan bookkeeping columns are written (never the whole row: an admin's change is not undone).
        int failureStreak = tenants.recordScanFinished(c.tenantId(), c.finishedAt(), c.status());
        // The access check (issue 16): stored on the tenant; ACCESS_PROBLEM once per episode speaks for the failure.
        TenantAccess.Result accessResult = access.recorded(c, now);

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("scanId", c.scanId().toString());
        details.put("status", c.status().name());
        details.put("detectionCount", c.detectionCount());
        details.put("received", scan.receivedCount);
        scan.reconciliation = reconciliation(c.status(), scan.receivedCount, c.detectionCount());
        switch (scan.reconciliation) {
            case "SWEPT" -> {
                long t0 = System.nanoTime();
                scan.removedCount = sweep(c, now);
                reconciler.refreshTenant(c.tenantId(), ACTOR, now, c.scanId());
                // Applied and manual removals whose exclusion this scan no longer saw: CONFIRMED.
                int confirmed = remediations.confirmRemoved(c.tenantId(), c.scanId(), now);
                if (confirmed > 0) {
                    details.put("remediationsConfirmed", confirmed);
                }
                LOG.infof("scan %s of tenant %s: %d removed, sweep and refresh took %d ms", c.scanId(), c.tenantId(),
                        scan.removedCount, (System.nanoTime() - t0) / 1_000_000);
                details.put("removed", scan.removedCount);
            }
            case "COUNT_MISMATCH" -> LOG.warnf("scan %s of tenant %s announced %d detections but %d arrived: nothing removed",
                    c.scanId(), c.tenantId(), c.detectionCount(), scan.receivedCount);
            default -> {
                if (raisesScanFailedAlert(c.status(), failureStreak, accessResult)) {
                    alerts.scanFailed(c.tenantId(), c.scanId(), c.error(), now);
                }
            }
        }
        details.put("reconciliation", scan.reconciliation);
        if (!c.notes().isEmpty()) {
            details.put("notes", c.notes());
        }
        if (c.status() == ScanStatus.COMPLETE) {
            mfaCoverage.scanCompleted(c.scanId(), now); // its coverage's alerts (PARTIAL or FAILED: none)
            gapAlerts.scanCompleted(c.scanId(), now); // its gap signals' alerts (likewise)
        }
        audit.append(c.tenantId(), ACTOR, "COUNT_MISMATCH".equals(scan.reconciliation) ? "SCAN_COUNT_MISMATCH" : "SCAN_COMPLETED",
                "scan", c.scanId(), details);
    }

    /**
     * Marks the tenant's exclusions this complete scan did not see as REMOVED (kept, not deleted): one UPDATE, then
     * the audit rows and alerts of what it removed in one insert each.
     */
    private int sweep(ScanCompleted c, Instant now) {
        em.flush();
        List<ExclusionRows.Removed> removed = em.unwrap(Session.class).doReturningWork(
                conn -> ExclusionRows.sweep(conn, c.tenantId(), c.scanId(), c.startedAt(), now));
        List<AuditLog.Entry> auditEntries = new ArrayList<>(removed.size());
        List<Outbox.Pending> alertsOut = new ArrayList<>(removed.size());
        for (ExclusionRows.Removed r : removed) {
            Exclusion e = r.exclusion();
            auditEntries.add(new AuditLog.Entry(e.tenantId, ACTOR, "EXCLUSION_REMOVED", "exclusion", e.id,
                    Map.of("scanId", c.scanId().toString(), "previousStatus", r.previousStatus())));
            alertsOut.add(alerts.exclusionRemovedMessage(e, c.scanId(), now));
        }
        audit.appendAll(auditEntries);
        outbox.enqueueAll(alertsOut, now);
        return removed.size();
    }
}
