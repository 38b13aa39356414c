package io.mfagov.register.repository;

import io.mfagov.model.events.CoverageFinding;
import io.mfagov.model.events.CoverageObserved;
import io.mfagov.model.events.UncoveredUser;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a scan's coverage in the caller's transaction (its JDBC connection): the coverage row (replaced when the
 * scan's coverage comes again), its uncovered users in one statement (up to CoverageObserved.MAX_LISTED), and the
 * scan's row (RUNNING until its ScanCompleted) when the scan had none yet.
 */
public final class CoverageRows {

    private CoverageRows() {
    }

    /** Stores {@code o} as the coverage of its scan, replacing what was stored for that scan before. */
    public static void replace(Connection c, CoverageObserved o, Instant now) throws SQLException {
        String tenantId = o.tenantId().toLowerCase(Locale.ROOT);
        try (PreparedStatement ps = c.prepareStatement("insert into coverage (scan_id, tenant_id, security_defaults_enabled,"
                + " enabled_mfa_policies, report_only_mfa_policies, all_users_covered, enabled_users, uncovered_user_count,"
                + " truncated, findings, observed_at, received_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " on conflict (scan_id) do update set tenant_id = excluded.tenant_id,"
                + " security_defaults_enabled = excluded.security_defaults_enabled,"
                + " enabled_mfa_policies = excluded.enabled_mfa_policies,"
                + " report_only_mfa_policies = excluded.report_only_mfa_policies,"
                + " all_users_covered = excluded.all_users_covered, enabled_users = excluded.enabled_users,"
                + " uncovered_user_count = excluded.uncovered_user_count, truncated = excluded.truncated,"
                + " findings = excluded.findings, observed_at = excluded.observed_at, received_at = excluded.received_at")) {
            ps.setObject(1, o.scanId());
            ps.setString(2, tenantId);
            ps.setObject(3, o.securityDefaultsEnabled(), Types.BOOLEAN);
            ps.setInt(4, o.enabledMfaPolicies());
            ps.setInt(5, o.reportOnlyMfaPolicies());
            ps.setObject(6, o.allUsersCovered(), Types.BOOLEAN);
            ps.setObject(7, o.enabledUsers(), Types.INTEGER);
            ps.setInt(8, o.uncoveredUserCount());
            ps.setBoolean(9, o.truncated());
            ps.setString(10, findings(o));
            ps.setObject(11, OffsetDateTime.ofInstant(o.observedAt(), ZoneOffset.UTC));
            ps.setObject(12, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("delete from uncovered_user where scan_id = ?")) {
            ps.setObject(1, o.scanId());
            ps.executeUpdate();
        }
        Map<String, UncoveredUser> users = new LinkedHashMap<>(); // one row per user: the first listing wins
        o.uncoveredUsers().forEach(u -> users.putIfAbsent(u.id(), u));
        if (!users.isEmpty()) {
            int n = users.size();
            String[] ids = new String[n];
            String[] upns = new String[n];
            String[] names = new String[n];
            String[] types = new String[n];
            String[] reasons = new String[n];
            String[] privileged = new String[n];
            int i = 0;
            for (UncoveredUser u : users.values()) {
                ids[i] = u.id();
                upns[i] = u.userPrincipalName();
                names[i] = u.displayName();
                types[i] = u.userType();
                reasons[i] = u.reason().name();
                privileged[i] = u.privileged() == null ? null : u.privileged().toString();
                i++;
            }
            try (PreparedStatement ps = c.prepareStatement("insert into uncovered_user (scan_id, user_id,"
                    + " user_principal_name, display_name, user_type, reason, privileged) select ?, u.* from"
                    + " unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::boolean[]) as u")) {
                ps.setObject(1, o.scanId());
                ps.setArray(2, c.createArrayOf("varchar", ids));
                ps.setArray(3, c.createArrayOf("varchar", upns));
                ps.setArray(4, c.createArrayOf("varchar", names));
                ps.setArray(5, c.createArrayOf("varchar", types));
                ps.setArray(6, c.createArrayOf("varchar", reasons));
                ps.setArray(7, c.createArrayOf("varchar", privileged));
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("insert into scan (scan_id, tenant_id, status, received_count,"
                + " first_received_at) values (?, ?, 'RUNNING', 0, ?) on conflict (scan_id) do nothing")) {
            ps.setObject(1, o.scanId());
            ps.setString(2, o.tenantId());
            ps.setObject(3, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    /** The findings as stored: comma-separated names; a finding of a newer scanner (read as UNKNOWN) is left out. */
    static String findings(CoverageObserved o) {
        return o.findings().stream().filter(f -> f != CoverageFinding.UNKNOWN).map(Enum::name).distinct()
                .collect(Collectors.joining(","));
    }
}
