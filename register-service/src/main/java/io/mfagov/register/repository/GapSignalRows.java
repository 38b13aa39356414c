package io.mfagov.register.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mfagov.model.EventCodec;
import io.mfagov.model.events.ExclusionUsageObserved;
import io.mfagov.model.events.MfaGapDetected;
import io.mfagov.model.events.TenantPostureObserved;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Writes a scan's gap signals in the caller's transaction (its JDBC connection), each keyed so that a second copy of
 * the same fact (a replay under another event id) replaces the first: posture per scan, a gap per (tenant, scan, user,
 * kind), usage per (tenant, scan, principal).
 */
public final class GapSignalRows {

    private GapSignalRows() {
    }

    public static void posture(Connection c, TenantPostureObserved p, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into posture (scan_id, tenant_id, sign_in_window_days,"
                + " window_start, window_end, not_registered, not_capable, single_factor_users, per_user_mfa_only,"
                + " sign_ins_read, single_factor_sign_ins, missing_signals, observed_at, received_at)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (scan_id) do update set"
                + " tenant_id = excluded.tenant_id, sign_in_window_days = excluded.sign_in_window_days,"
                + " window_start = excluded.window_start, window_end = excluded.window_end,"
                + " not_registered = excluded.not_registered, not_capable = excluded.not_capable,"
                + " single_factor_users = excluded.single_factor_users, per_user_mfa_only = excluded.per_user_mfa_only,"
                + " sign_ins_read = excluded.sign_ins_read, single_factor_sign_ins = excluded.single_factor_sign_ins,"
                + " missing_signals = excluded.missing_signals, observed_at = excluded.observed_at,"
                + " received_at = excluded.received_at")) {
            ps.setObject(1, p.scanId());
            ps.setString(2, p.tenantId().toLowerCase(Locale.ROOT));
            ps.setObject(3, p.signInWindowDays(), Types.INTEGER);
            ps.setObject(4, time(p.windowStart()));
            ps.setObject(5, time(p.windowEnd()));
            ps.setObject(6, p.notRegistered(), Types.INTEGER);
            ps.setObject(7, p.notCapable(), Types.INTEGER);
            ps.setObject(8, p.singleFactorUsers(), Types.INTEGER);
            ps.setObject(9, p.perUserMfaOnly(), Types.INTEGER);
            ps.setObject(10, p.signInsRead(), Types.BIGINT);
            ps.setObject(11, p.singleFactorSignIns(), Types.BIGINT);
            ps.setString(12, json(p.missingSignals()));
            ps.setObject(13, time(p.observedAt()));
            ps.setObject(14, time(now));
            ps.executeUpdate();
        }
    }

    public static void gap(Connection c, MfaGapDetected g, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into mfa_gap (tenant_id, scan_id, user_id, kind,"
                + " user_principal_name, display_name, user_type, privileged, count, first_seen, last_seen, apps,"
                + " client_apps, locations, ip_addresses, default_method, methods_registered, per_user_mfa_state, detail,"
                + " observed_at, received_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " on conflict (tenant_id, scan_id, user_id, kind) do update set"
                + " user_principal_name = excluded.user_principal_name, display_name = excluded.display_name,"
                + " user_type = excluded.user_type, privileged = excluded.privileged, count = excluded.count,"
                + " first_seen = excluded.first_seen, last_seen = excluded.last_seen, apps = excluded.apps,"
                + " client_apps = excluded.client_apps, locations = excluded.locations,"
                + " ip_addresses = excluded.ip_addresses, default_method = excluded.default_method,"
                + " methods_registered = excluded.methods_registered, per_user_mfa_state = excluded.per_user_mfa_state,"
                + " detail = excluded.detail, observed_at = excluded.observed_at, received_at = excluded.received_at")) {
            ps.setString(1, g.tenantId().toLowerCase(Locale.ROOT));
            ps.setObject(2, g.scanId());
            ps.setString(3, g.userId());
            ps.setString(4, g.kind().name());
            ps.setString(5, g.userPrincipalName());
            ps.setString(6, g.displayName());
            ps.setString(7, g.userType());
            ps.setObject(8, g.privileged(), Types.BOOLEAN);
            ps.setObject(9, g.count(), Types.INTEGER);
            ps.setObject(10, time(g.firstSeen()));
            ps.setObject(11, time(g.lastSeen()));
            ps.setString(12, json(g.apps()));
            ps.setString(13, json(g.clientApps()));
            ps.setString(14, json(g.locations()));
            ps.setString(15, json(g.ipAddresses()));
            ps.setString(16, g.defaultMethod());
            ps.setString(17, json(g.methodsRegistered()));
            ps.setString(18, g.perUserMfaState());
            ps.setString(19, g.detail());
            ps.setObject(20, time(g.observedAt()));
            ps.setObject(21, time(now));
            ps.executeUpdate();
        }
    }

    public static void usage(Connection c, ExclusionUsageObserved u, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into exclusion_usage (tenant_id, scan_id, principal_type,"
                + " principal_id, window_days, last_sign_in, last_single_factor_sign_in, sign_ins, single_factor_sign_ins,"
                + " observed_at, received_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " on conflict (tenant_id, scan_id, principal_type, principal_id) do update set"
                + " window_days = excluded.window_days, last_sign_in = excluded.last_sign_in,"
                + " last_single_factor_sign_in = excluded.last_single_factor_sign_in, sign_ins = excluded.sign_ins,"
                + " single_factor_sign_ins = excluded.single_factor_sign_ins, observed_at = excluded.observed_at,"
                + " received_at = excluded.received_at")) {
            ps.setString(1, u.tenantId().toLowerCase(Locale.ROOT));
            ps.setObject(2, u.scanId());
            ps.setString(3, u.principalType().name());
            ps.setString(4, u.principalId());
            ps.setInt(5, u.windowDays());
            ps.setObject(6, time(u.lastSignIn()));
            ps.setObject(7, time(u.lastSingleFactorSignIn()));
            ps.setInt(8, u.signIns());
            ps.setInt(9, u.singleFactorSignIns());
            ps.setObject(10, time(u.observedAt()));
            ps.setObject(11, time(now));
            ps.executeUpdate();
        }
    }

    private static OffsetDateTime time(Instant t) {
        return t == null ? null : OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static String json(Object value) {
        try {
            return EventCodec.get().mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
