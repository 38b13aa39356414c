package io.mfagov.register.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.mfagov.model.EventCodec;
import io.mfagov.model.events.GapKind;
import io.mfagov.register.api.GapView;
import io.mfagov.support.problem.Check;
import io.mfagov.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Reads the stored gap signals (V6__gap_signals.sql) for the API. */
@ApplicationScoped
public class GapQueries {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final EntityManager em;

    public GapQueries(EntityManager em) {
        this.em = em;
    }

    /**
     * The gaps of the tenant's latest scan that sent gap signals (its posture or a gap; the latest observed), of one
     * kind or all, privileged users first, then by UPN; 404 problem+json when no scan of it sent any.
     */
    @Transactional
    public GapView.TenantGaps latest(String tenantId, String kind) {
        String tenant = Check.guid("tenantId", tenantId);
        GapKind k = Check.oneOf("kind", kind, GapKind.class);
        List<?> latest = em.createNativeQuery("select scan_id, observed_at from (select scan_id, observed_at, received_at"
                        + " from posture where tenant_id = :t union all select scan_id, observed_at, received_at from mfa_gap"
                        + " where tenant_id = :t) s order by observed_at desc, received_at desc limit 1")
                .setParameter("t", tenant).getResultList();
        if (latest.isEmpty()) {
            throw ProblemException.notFound("gap signals of tenant", tenant);
        }
        Object[] scan = (Object[]) latest.get(0);
        UUID scanId = (UUID) scan[0];
        List<GapView> items = ofScan(tenant, scanId, k == null ? null : k.name());
        return new GapView.TenantGaps(tenant, scanId, instant(scan[1]), items);
    }

    /** The gaps one scan of the tenant reported, of one kind (null: all), privileged users first, then by UPN. */
    public List<GapView> ofScan(String tenant, UUID scanId, String kind) {
        List<?> rows = em.createNativeQuery("select user_id, user_principal_name, display_name, user_type, privileged,"
                        + " kind, count, first_seen, last_seen, apps, client_apps, locations, ip_addresses, default_method,"
                        + " methods_registered, per_user_mfa_state, detail from mfa_gap where tenant_id = :t and scan_id = :s"
                        + " and (cast(:k as varchar) is null or kind = cast(:k as varchar))"
                        + " order by privileged is not true, lower(user_principal_name), user_id, kind")
                .setParameter("t", tenant).setParameter("s", scanId).setParameter("k", kind)
                .getResultList();
        return rows.stream().map(o -> {
            Object[] r = (Object[]) o;
            return new GapView((String) r[0], (String) r[1], (String) r[2], (String) r[3], (Boolean) r[4],
                    (String) r[5], r[6] == null ? null : ((Number) r[6]).intValue(), instant(r[7]), instant(r[8]),
                    strings(r[9]), strings(r[10]), strings(r[11]), strings(r[12]), (String) r[13], strings(r[14]),
                    (String) r[15], (String) r[16]);
        }).toList();
    }

    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        return ((Timestamp) value).toInstant();
    }

    private static List<String> strings(Object json) {
        try {
            return json == null ? List.of() : EventCodec.get().mapper().readValue((String) json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
