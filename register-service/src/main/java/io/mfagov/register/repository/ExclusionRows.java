package io.mfagov.register.repository;

import io.mfagov.register.entity.Exclusion;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Set-based writes of exclusions for reconciliation, in the caller's transaction (its JDBC connection): one
 * multi-row upsert for a batch of detections, one UPDATE for a sweep.
 */
public final class ExclusionRows {

    /** Every column of {@code exclusion}, in the order of {@link #upsert}. */
    private static final String COLUMNS = "id, tenant_id, exclusion_key, policy_id, policy_name, policy_state,"
            + " mfa_requirement, principal_type, principal_id, principal_upn, principal_display_name, principal_user_type,"
            + " account_enabled, resolved, via_kind, via_id, via_display_name, via_path_ids, via_path, first_seen_at,"
            + " appeared_at, last_seen_at, last_scan_id, removed_at, removed_by_scan_id, status, exception_id, category,"
            + " expires_at, policy_custom_control, in_scope, policy_target, eligible, shadowed, closed_by_id,"
            + " closed_by_name, details, flags";
    private static final String TYPES = "uuid varchar varchar varchar varchar varchar varchar varchar varchar varchar"
            + " varchar varchar boolean boolean varchar varchar varchar varchar varchar timestamptz timestamptz"
            + " timestamptz uuid timestamptz uuid varchar uuid varchar timestamptz varchar boolean text boolean boolean"
            + " varchar varchar text text";
    private static final String UPSERT;

    static {
        String[] columns = COLUMNS.split(",\\s*");
        String[] types = TYPES.split(" ");
        StringBuilder sql = new StringBuilder("insert into exclusion (").append(COLUMNS).append(") select * from unnest(");
        for (int i = 0; i < types.length; i++) {
            sql.append(i == 0 ? "" : ", ").append("?::").append(types[i]).append("[]");
        }
        sql.append(") on conflict (id) do update set ");
        for (int i = 1; i < columns.length; i++) {
            sql.append(i == 1 ? "" : ", ").append(columns[i]).append(" = excluded.").append(columns[i]);
        }
        UPSERT = sql.toString();
    }

    /** An exclusion a sweep removed, and its status before. */
    public record Removed(Exclusion exclusion, String previousStatus) {
    }

    private ExclusionRows() {
    }

    /**
     * Reads the exclusions with these ids (detached objects). {@code id = any(array)} keeps one statement and one
     * (primary key) plan whatever the number of ids.
     */
    public static List<Exclusion> load(Connection c, Collection<UUID> ids) throws SQLException {
        List<Exclusion> rows = new ArrayList<>(ids.size());
        if (ids.isEmpty()) {
            return rows;
        }
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from exclusion where id = any(?::uuid[])")) {
            ps.setArray(1, c.createArrayOf("varchar", ids.stream().map(UUID::toString).toArray(String[]::new)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Exclusion e = new Exclusion();
                    e.id = rs.getObject(1, UUID.class);
                    e.tenantId = rs.getString(2);
                    e.exclusionKey = rs.getString(3);
                    e.policyId = rs.getString(4);
                    e.policyName = rs.getString(5);
                    e.policyState = rs.getString(6);
                    e.mfaRequirement = rs.getString(7);
                    e.principalType = rs.getString(8);
                    e.principalId = rs.getString(9);
                    e.principalUpn = rs.getString(10);
                    e.principalDisplayName = rs.getString(11);
                    e.principalUserType = rs.getString(12);
                    e.accountEnabled = (Boolean) rs.getObject(13);
                    e.resolved = rs.getBoolean(14);
                    e.viaKind = rs.getString(15);
                    e.viaId = rs.getString(16);
                    e.viaDisplayName = rs.getString(17);
                    e.viaPathIds = rs.getString(18);
                    e.viaPath = rs.getString(19);
                    e.firstSeenAt = instant(rs, 20);
                    e.appearedAt = instant(rs, 21);
                    e.lastSeenAt = instant(rs, 22);
                    e.lastScanId = rs.getObject(23, UUID.class);
                    e.removedAt = instant(rs, 24);
                    e.removedByScanId = rs.getObject(25, UUID.class);
                    e.status = rs.getString(26);
                    e.exceptionId = rs.getObject(27, UUID.class);
                    e.category = rs.getString(28);
                    e.expiresAt = instant(rs, 29);
                    e.policyCustomControl = rs.getString(30);
                    e.inScope = (Boolean) rs.getObject(31);
                    e.policyTarget = rs.getString(32);
                    e.eligible = (Boolean) rs.getObject(33);
                    e.shadowed = (Boolean) rs.getObject(34);
                    e.closedById = rs.getString(35);
                    e.closedByName = rs.getString(36);
                    e.details = rs.getString(37);
                    e.flags = rs.getString(38);
                    rows.add(e);
                }
            }
        }
        return rows;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** Inserts or overwrites these exclusions (distinct ids) in one statement. */
    public static void upsert(Connection c, Collection<Exclusion> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        List<Exclusion> list = List.copyOf(rows);
        List<Function<Exclusion, Object>> getters = List.of(e -> e.id, e -> e.tenantId, e -> e.exclusionKey,
                e -> e.policyId, e -> e.policyName, e -> e.policyState, e -> e.mfaRequirement, e -> e.principalType,
                e -> e.principalId, e -> e.principalUpn, e -> e.principalDisplayName, e -> e.principalUserType,
                e -> e.accountEnabled, e -> e.resolved, e -> e.viaKind, e -> e.viaId, e -> e.viaDisplayName,
                e -> e.viaPathIds, e -> e.viaPath, e -> e.firstSeenAt, e -> e.appearedAt, e -> e.lastSeenAt,
                e -> e.lastScanId, e -> e.removedAt, e -> e.removedByScanId, e -> e.status, e -> e.exceptionId,
                e -> e.category, e -> e.expiresAt, e -> e.policyCustomControl, e -> e.inScope, e -> e.policyTarget,
                e -> e.eligible, e -> e.shadowed, e -> e.closedById, e -> e.closedByName, e -> e.details, e -> e.flags);
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            for (int col = 0; col < getters.size(); col++) {
                String[] values = new String[list.size()];
                for (int row = 0; row < values.length; row++) {
                    Object v = getters.get(col).apply(list.get(row));
                    values[row] = v == null ? null : v.toString(); // Instant: ISO-8601 with Z, read by timestamptz
                }
                Array array = c.createArrayOf("varchar", values);
                ps.setArray(col + 1, array);
            }
            ps.executeUpdate();
        }
    }

    /**
     * Marks the tenant's present exclusions the complete scan did not see (another last scan, last seen before the
     * scan started) as REMOVED in one UPDATE, and returns them as they are now, with their previous status.
     */
    public static List<Removed> sweep(Connection c, String tenantId, UUID scanId, Instant startedAt, Instant now)
            throws SQLException {
        String sql = "update exclusion x set removed_at = ?, removed_by_scan_id = ?, status = 'REMOVED'"
                + " from (select id, status from exclusion where tenant_id = ? and removed_at is null"
                + " and last_scan_id <> ? and last_seen_at < ? for update) old where x.id = old.id"
                + " returning x.id, x.tenant_id, x.policy_id, x.policy_name, x.principal_type, x.principal_id,"
                + " x.principal_upn, x.principal_display_name, x.via_path, x.exception_id, x.expires_at, old.status, x.via_kind";
        List<Removed> removed = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.setObject(2, scanId);
            ps.setString(3, tenantId);
            ps.setObject(4, scanId);
            ps.setObject(5, OffsetDateTime.ofInstant(startedAt, ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Exclusion e = new Exclusion();
                    e.id = rs.getObject(1, UUID.class);
                    e.tenantId = rs.getString(2);
                    e.policyId = rs.getString(3);
                    e.policyName = rs.getString(4);
                    e.principalType = rs.getString(5);
                    e.principalId = rs.getString(6);
                    e.principalUpn = rs.getString(7);
                    e.principalDisplayName = rs.getString(8);
                    e.viaPath = rs.getString(9);
                    e.exceptionId = rs.getObject(10, UUID.class);
                    OffsetDateTime expires = rs.getObject(11, OffsetDateTime.class);
                    e.expiresAt = expires == null ? null : expires.toInstant();
                    e.removedAt = now;
                    e.removedByScanId = scanId;
                    e.status = "REMOVED";
                    e.viaKind = rs.getString(13);
                    removed.add(new Removed(e, rs.getString(12)));
                }
            }
        }
        return removed;
    }
}
