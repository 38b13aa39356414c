package io.mfagov.register.service;

import io.mfagov.model.events.AccessStatus;
import io.mfagov.model.events.CustomerDiscovered;
import io.mfagov.model.events.DelegatedRelationship;
import io.mfagov.model.events.DiscoveryCompleted;
import io.mfagov.model.events.DiscoveryRequested;
import io.mfagov.model.events.NameSource;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.register.api.DiscoveryRunView;
import io.mfagov.register.config.RegisterConfig;
import io.mfagov.register.entity.JsonColumns;
import io.mfagov.register.outbox.Outbox;
import io.mfagov.support.problem.Check;
import io.mfagov.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;
import org.jboss.logging.Logger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Discovery of the partner tenant's customers (issue 16), the register's side: asks the scanner (DiscoveryRequested
 * through the outbox, on demand or once per {@code register.discovery.interval}), and reconciles its answers —
 * unknown customers registered (disabled unless {@code register.discovery.enable-new-tenants}) with TENANT_DISCOVERED,
 * names kept in step with the tenant's own organization, relationships summed up (OnboardingRules) with
 * RELATIONSHIP_ENDED and RELATIONSHIP_EXPIRING once each, and customers missing from a COMPLETE discovery ended.
 * Tenant rows are written with targeted statements only (an admin's change is never undone); each run is a
 * {@code discovery_run} row.
 */
@ApplicationScoped
public class Discoveries {

    private static final Logger LOG = Logger.getLogger(Discoveries.class);
    static final long DISCOVERY_LOCK = 0x6d666167_64697363L; // "mfagdisc"
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");
    /** The setting that turns discovery on; named by the 409 when it is unset. */
    public static final String PARTNER_SETTING = "register.discovery.partner-tenant-id";

    private final EntityManager em;
    private final Outbox outbox;
    private final Alerts alerts;
    private final AuditLog audit;
    private final RegisterConfig config;

    public Discoveries(EntityManager em, Outbox outbox, Alerts alerts, AuditLog audit, RegisterConfig config) {
        this.em = em;
        this.outbox = outbox;
        this.alerts = alerts;
        this.audit = audit;
        this.config = config;
    }

    // --- Requests ------------------------------------------------------------------------------------------------

    /** The configured partner tenant (lower case), or a 409 naming the setting. */
    String partnerTenant() {
        String partner = config.discovery().partnerTenantId().map(String::trim).filter(p -> !p.isEmpty())
                .orElseThrow(() -> ProblemException.conflict("discovery is not configured: set " + PARTNER_SETTING
                        + " (REGISTER_DISCOVERY_PARTNER_TENANT_ID) to the MSP's own (partner) tenant id"));
        if (!GUID.matcher(partner).matches()) {
            throw ProblemException.conflict(PARTNER_SETTING + " is not a tenant id (GUID): " + partner);
        }
        return partner.toLowerCase(Locale.ROOT);
    }

    /**
     * Asks the scanner for a discovery now (DiscoveryRequested through the outbox, a discovery_run row REQUESTED, an
     * audit record). Registered tenants whose credentialRef differs from the partner's are listed in
     * {@code customerCredentialRefs}, so the scanner checks them with their own set. Returns the request id.
     */
    @Transactional
    public UUID request(String actor, Instant now) {
        String partner = partnerTenant();
        audit.lockChain(); // before any row (lock order: AuditLog.lockChain)
        return enqueue(partner, actor, now);
    }

    /**
     * The customers to check with a set other than the partner's: (tenant id, credentialRef) rows → tenant id → set. A
     * tenant on the default set is named {@code default} (the scanner's name for it) when the partner has its own.
     */
    static Map<String, String> customerCredentialRefs(List<Object[]> rows, String partner, String partnerRef) {
        Map<String, String> refs = new LinkedHashMap<>();
        for (Object[] r : rows) {
            String ref = r[1] == null || ((String) r[1]).isBlank() ? null : (String) r[1];
            if (!Objects.equals(ref, partnerRef) && !partner.equals(r[0])) {
                refs.put((String) r[0], ref == null ? DEFAULT_CREDENTIAL_SET : ref);
            }
        }
        return refs;
    }

    /** The scanner's name for its top-level credential set. */
    static final String DEFAULT_CREDENTIAL_SET = "default";

    private UUID enqueue(String partner, String actor, Instant now) {
        String partnerRef = config.discovery().partnerCredentialRef().filter(r -> !r.isBlank()).orElse(null);
        List<Object[]> rows = em.createNativeQuery("select tenant_id, credential_ref from tenant order by tenant_id",
                Object[].class).getResultList();
        Map<String, String> refs = customerCredentialRefs(rows, partner, partnerRef);
        UUID requestId = UUID.randomUUID();
        outbox.enqueue("DISCOVERY_REQUESTED:" + requestId,
                new DiscoveryRequested(requestId, partner, now, actor, partnerRef, refs), now);
        em.createNativeQuery("insert into discovery_run (request_id, partner_tenant_id, requested_at, requested_by, status)"
                        + " values (?1, ?2, ?3, ?4, 'REQUESTED')")
                .setParameter(1, requestId).setParameter(2, partner).setParameter(3, now).setParameter(4, actor)
                .executeUpdate();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("requestId", requestId.toString());
        details.put("customerCredentialRefs", refs.size());
        audit.append(partner, actor, "DISCOVERY_REQUESTED", "discovery", requestId, details);
        return requestId;
    }

    /**
     * The scheduler's part: a discovery when the partner is configured and none was requested within
     * {@code register.discovery.interval}. The last run is read under a transaction-scoped advisory lock, so replicas
     * never both request one. Returns the request id, or null when none was due (or another replica holds the lock).
     */
    @Transactional
    public UUID requestIfDue(Instant now) {
        Optional<String> configured = config.discovery().partnerTenantId().filter(p -> !p.isBlank());
        if (configured.isEmpty()) {
            return null;
        }
        Boolean locked = (Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(?1)")
                .setParameter(1, DISCOVERY_LOCK).getSingleResult();
        if (!Boolean.TRUE.equals(locked)) {
            return null;
        }
        String partner = partnerTenant();
        Object last = em.createNativeQuery("select max(requested_at) from discovery_run where partner_tenant_id = ?1")
                .setParameter(1, partner).getSingleResult();
        Instant lastAt = TenantAccess.instant(last);
        if (lastAt != null && lastAt.plus(config.discovery().interval()).isAfter(now)) {
            return null;
        }
        audit.lockChain();
        UUID requestId = enqueue(partner, ScanScheduler.ACTOR, now);
        LOG.infof("requested the scheduled discovery %s of partner tenant %s", requestId, partner);
        return requestId;
    }

    // --- Runs ----------------------------------------------------------------------------------------------------

    private static final String RUN_COLUMNS = "request_id, discovery_id, partner_tenant_id, requested_at, requested_by,"
            + " completed_at, status, customers, new_tenants, ended, access_status, missing_permissions, error";

    /** The runs, latest first. */
    @Transactional
    public List<DiscoveryRunView> runs(int limit) {
        return em.unwrap(Session.class).doReturningWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + RUN_COLUMNS + " from discovery_run"
                    + " order by requested_at desc, request_id limit ?")) {
                ps.setInt(1, limit);
                return read(ps);
            }
        });
    }

    /** One run by its request id (or, for a run the scanner started by itself, its discovery id). */
    @Transactional
    public DiscoveryRunView run(String requestId) {
        UUID id = Check.uuid("requestId", requestId);
        List<DiscoveryRunView> found = em.unwrap(Session.class).doReturningWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + RUN_COLUMNS + " from discovery_run"
                    + " where request_id = ? or discovery_id = ?")) {
                ps.setObject(1, id);
                ps.setObject(2, id);
                return read(ps);
            }
        });
        if (found.isEmpty()) {
            throw ProblemException.notFound("discovery run", requestId);
        }
        return found.get(0);
    }

    private static List<DiscoveryRunView> read(PreparedStatement ps) throws java.sql.SQLException {
        List<DiscoveryRunView> runs = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                runs.add(new DiscoveryRunView(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        at(rs, 4), rs.getString(5), at(rs, 6), rs.getString(7), rs.getInt(8), rs.getInt(9),
                        rs.getInt(10), rs.getString(11), JsonColumns.strings(rs.getString(12)), rs.getString(13)));
            }
        }
        return runs;
    }

    private static Instant at(ResultSet rs, int column) throws java.sql.SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** The run row of an answer: the request's, or one made now for a discovery nobody asked the register for. */
    private UUID runOf(UUID requestId, UUID discoveryId, String partner, Instant observedAt) {
        UUID id = requestId != null ? requestId : discoveryId;
        em.createNativeQuery("insert into discovery_run (request_id, discovery_id, partner_tenant_id, requested_at,"
                        + " requested_by, status) values (?1, ?2, ?3, ?4, 'scanner', 'RUNNING') on conflict (request_id)"
                        + " do update set discovery_id = excluded.discovery_id,"
                        + " status = case when discovery_run.status = 'REQUESTED' then 'RUNNING' else discovery_run.status end")
                .setParameter(1, id).setParameter(2, discoveryId).setParameter(3, partner.toLowerCase(Locale.ROOT))
                .setParameter(4, observedAt).executeUpdate();
        return id;
    }

    // --- Answers -------------------------------------------------------------------------------------------------

    /** A customer of the partner tenant: registered when unknown, its name and relationships kept in step. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void customerDiscovered(CustomerDiscovered d, Instant now) {
        em.flush();
        String id = d.customerTenantId().toLowerCase(Locale.ROOT);
        Duration warning = Duration.ofDays(config.discovery().expiryWarningDays());
        OnboardingRules.Summary summary = OnboardingRules.summarize(d.relationships(), now, warning);
        boolean enabled = config.discovery().enableNewTenants();
        String credentialRef = config.discovery().credentialRef().filter(r -> !r.isBlank()).orElse(null);
        String name = d.displayName() == null || d.displayName().isBlank() ? null : cap(d.displayName(), 256);

        Object[] before = previous(id);
        boolean inserted = before == null && em.unwrap(Session.class).doReturningWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into tenant (tenant_id, display_name,"
                    + " scan_interval_minutes, credential_ref, enabled, discovered, created_at, created_by, updated_at,"
                    + " updated_by, name_source) values (?, ?, ?, ?, ?, true, ?, ?, ?, ?, ?) on conflict (tenant_id) do nothing")) {
                ps.setString(1, id);
                ps.setString(2, name);
                ps.setInt(3, config.scheduler().defaultIntervalMinutes());
                ps.setString(4, credentialRef);
                ps.setBoolean(5, enabled);
                ps.setObject(6, utc(now));
                ps.setString(7, ScanResultService.ACTOR);
                ps.setObject(8, utc(now));
                ps.setString(9, ScanResultService.ACTOR);
                ps.setString(10, name == null ? null : d.nameSource().name());
                return ps.executeUpdate() == 1;
            }
        });
        if (before == null && !inserted) {
            before = previous(id); // registered meanwhile (an admin's POST): treat as known
        }
        String previousName = before == null ? null : (String) before[0];
        String previousRelationship = before == null ? null : (String) before[1];
        String tenantName = name;

        if (inserted) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("discoveryId", d.discoveryId().toString());
            details.put("partnerTenantId", d.tenantId());
            details.put("displayName", name);
            details.put("nameSource", d.nameSource().name());
            details.put("enabled", enabled);
            details.put("relationship", summary.status().name());
            audit.append(id, ScanResultService.ACTOR, "TENANT_DISCOVERED", "tenant", id, details);
            outbox.enqueue(alerts.tenantDiscoveredMessage(d, enabled, summary.status().name(), now), now);
        } else if (name != null && (d.nameSource() == NameSource.ORGANIZATION || previousName == null)
                && !name.equals(previousName)) {
            // The tenant's own organization name is current (a contract's is a copy from when the partnership began):
            // kept in step; a GDAP or contract name only fills a missing one.
            em.createNativeQuery("update tenant set display_name = ?1, name_source = ?2 where tenant_id = ?3")
                    .setParameter(1, name).setParameter(2, d.nameSource().name()).setParameter(3, id).executeUpdate();
            audit.append(id, ScanResultService.ACTOR, "TENANT_RENAMED", "tenant", id, Map.of("from",
                    previousName == null ? "" : previousName, "to", name, "nameSource", d.nameSource().name(),
                    "discoveryId", d.discoveryId().toString()));
        } else {
            tenantName = previousName;
        }

        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("update tenant set discovered_at = coalesce(discovered_at, ?),"
                    + " discovery_last_seen_at = ?, discovery_partner_tenant_id = ?, default_domain = coalesce(?, default_domain),"
                    + " contract_type = ?, relationship_status = ?, relationship_ends_at = ?, relationship_auto_extends = ?,"
                    + " relationships = ? where tenant_id = ?")) {
                ps.setObject(1, utc(now));
                ps.setObject(2, utc(d.observedAt()));
                ps.setString(3, d.tenantId().toLowerCase(Locale.ROOT));
                ps.setString(4, cap(d.defaultDomain(), 256));
                ps.setString(5, cap(d.contractType(), 64));
                ps.setString(6, summary.status().name());
                ps.setObject(7, summary.endsAt() == null ? null : utc(summary.endsAt()));
                ps.setObject(8, summary.autoExtends());
                ps.setString(9, TenantAccess.json(d.relationships()));
                ps.setString(10, id);
                ps.executeUpdate();
            }
        });
        // The discovery's own access check of the customer stands until a scan checks (a newly discovered customer shows
        // NO_CONSENT with its consent URL before it is ever scanned); it raises no ACCESS_PROBLEM: the first failing
        // scan does, and a scan's newer verdict is never overwritten.
        if (d.accessStatus() != AccessStatus.UNKNOWN) {
            String detail = OnboardingRules.reason(d.accessStatus()) + " (found by discovery " + d.discoveryId() + ")";
            em.unwrap(Session.class).doWork(c -> {
                try (PreparedStatement ps = c.prepareStatement("update tenant set access_status = ?, access_detail = ?,"
                        + " access_consent_url = coalesce(?, access_consent_url), access_missing_permissions = ?,"
                        + " access_checked_at = ? where tenant_id = ? and (access_checked_at is null or access_checked_at < ?)"
                        + " and access_episode_scan_id is null")) {
                    ps.setString(1, d.accessStatus().name());
                    ps.setString(2, cap(detail, 2048));
                    ps.setString(3, cap(d.consentUrl(), 1024));
                    ps.setString(4, TenantAccess.json(OnboardingRules.permissionsToGrant(d.missingPermissions(), List.of())));
                    ps.setObject(5, utc(d.observedAt()));
                    ps.setString(6, id);
                    ps.setObject(7, utc(d.observedAt()));
                    ps.executeUpdate();
                }
            });
        }
        if (!inserted && !summary.status().name().equals(previousRelationship)) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("discoveryId", d.discoveryId().toString());
            details.put("from", previousRelationship);
            details.put("to", summary.status().name());
            audit.append(id, ScanResultService.ACTOR, "TENANT_RELATIONSHIP_CHANGED", "tenant", id, details);
        }

        int ended = 0;
        Optional<DelegatedRelationship> over = summary.status() == OnboardingRules.RelationshipStatus.ENDED
                ? OnboardingRules.endedRelationship(d.relationships()) : Optional.empty();
        if (over.isPresent() && outbox.enqueue(alerts.relationshipEndedMessage(id, tenantName, d.tenantId(), over.get(),
                d.discoveryId(), now), now)) {
            ended++;
        }
        for (DelegatedRelationship r : OnboardingRules.expiringRelationships(d.relationships(), now, warning)) {
            outbox.enqueue(alerts.relationshipExpiringMessage(d, r, tenantName, now), now);
        }
        UUID run = runOf(d.requestId(), d.discoveryId(), d.tenantId(), d.observedAt());
        em.createNativeQuery("update discovery_run set customers = customers + 1, new_tenants = new_tenants + ?1,"
                        + " ended = ended + ?2 where request_id = ?3")
                .setParameter(1, inserted ? 1 : 0).setParameter(2, ended).setParameter(3, run).executeUpdate();
    }

    /** display_name, relationship_status of a registered tenant; null when unknown. */
    private Object[] previous(String tenantId) {
        List<Object[]> rows = em.createNativeQuery("select display_name, relationship_status from tenant"
                + " where tenant_id = ?1 for update", Object[].class).setParameter(1, tenantId).getResultList();
        return rows.isEmpty() ? null : rows.get(0);
    }

    /**
     * The end of a discovery: closes its run; when COMPLETE (every customer listed), customers of this partner that an
     * earlier discovery listed and this one did not are ENDED, with RELATIONSHIP_ENDED once. PARTIAL or FAILED ends
     * nobody.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void completed(DiscoveryCompleted d, Instant now) {
        em.flush();
        String partner = d.tenantId().toLowerCase(Locale.ROOT);
        int ended = 0;
        if (d.status() == ScanStatus.COMPLETE) {
            List<Object[]> gone = em.createNativeQuery("update tenant set relationship_status = 'ENDED'"
                            + " where discovery_partner_tenant_id = ?1 and discovery_last_seen_at < ?2"
                            + " and relationship_status is distinct from 'ENDED' returning tenant_id, display_name",
                            Object[].class)
                    .setParameter(1, partner).setParameter(2, d.startedAt()).getResultList();
            for (Object[] t : gone) {
                String tenantId = (String) t[0];
                audit.append(tenantId, ScanResultService.ACTOR, "TENANT_RELATIONSHIP_CHANGED", "tenant", tenantId,
                        Map.of("discoveryId", d.discoveryId().toString(), "to", "ENDED",
                                "why", "not listed by a COMPLETE discovery of partner tenant " + partner));
                if (outbox.enqueue(alerts.relationshipEndedMessage(tenantId, (String) t[1], partner, null,
                        d.discoveryId(), now), now)) {
                    ended++;
                }
            }
        }
        UUID run = runOf(d.requestId(), d.discoveryId(), partner, d.startedAt());
        partnerAccess(d, partner, run, now);
        int endedNow = ended;
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("update discovery_run set status = ?, completed_at = ?,"
                    + " ended = ended + ?, access_status = ?, missing_permissions = ?, error = ? where request_id = ?")) {
                ps.setString(1, d.status().name());
                ps.setObject(2, utc(d.finishedAt()));
                ps.setInt(3, endedNow);
                ps.setString(4, d.accessStatus() == null ? null : d.accessStatus().name());
                ps.setString(5, TenantAccess.json(d.missingPermissions()));
                ps.setString(6, cap(d.error(), 2048));
                ps.setObject(7, run);
                ps.executeUpdate();
            }
        });
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("discoveryId", d.discoveryId().toString());
        details.put("status", d.status().name());
        details.put("customers", d.customerCount());
        details.put("ended", ended);
        audit.append(partner, ScanResultService.ACTOR, "DISCOVERY_COMPLETED", "discovery", run, details);
    }

    /**
     * ACCESS_PROBLEM for the partner tenant itself when a discovery could not read it (no consent, discovery permissions
     * missing, credentials rejected): once per episode — not again while the previous completed run of this partner had
     * the same status and permissions to grant.
     */
    private void partnerAccess(DiscoveryCompleted d, String partner, UUID run, Instant now) {
        List<String> toGrant = OnboardingRules.permissionsToGrant(d.missingPermissions(), List.of());
        if (!OnboardingRules.isProblem(d.accessStatus(), toGrant, List.of(), false)) {
            return;
        }
        List<Object[]> previous = em.createNativeQuery("select coalesce(access_status, ''), missing_permissions"
                        + " from discovery_run where partner_tenant_id = ?1 and request_id <> ?2 and completed_at is not null"
                        + " order by completed_at desc limit 1", Object[].class)
                .setParameter(1, partner).setParameter(2, run).getResultList();
        if (!previous.isEmpty() && d.accessStatus().name().equals(previous.get(0)[0])
                && new java.util.TreeSet<>(JsonColumns.strings((String) previous.get(0)[1])).equals(new java.util.TreeSet<>(toGrant))) {
            return;
        }
        outbox.enqueue(alerts.partnerAccessProblemMessage(d, toGrant, now), now);
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static String cap(String text, int max) {
        return TenantAccess.cap(text, max);
    }
}
