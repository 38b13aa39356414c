package io.mfagov.register.service;

import io.mfagov.model.events.GapKind;
import io.mfagov.register.api.GapView;
import io.mfagov.register.repository.GapSignalReads;
import io.mfagov.support.csv.CsvWriter;
import io.mfagov.support.problem.Check;
import io.mfagov.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import org.hibernate.jpa.HibernateHints;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/** Reads the stored gap signals (V6__gap_signals.sql) for the API and the gaps CSV. */
@ApplicationScoped
public class GapQueries {

    /** The scanner CLI's CA_Gaps columns, then the register's. */
    public static final List<String> GAPS_CSV_COLUMNS = List.of("TenantId", "UserId", "UPN", "DisplayName", "Kind",
            "Count", "FirstSeen", "LastSeen", "Apps", "ClientApps", "Detail", "Privileged", "SharedMailbox");

    /** Rows fetched from the database cursor at a time while the export streams. */
    static final int EXPORT_FETCH_SIZE = 500;

    private static final String COLUMNS = "g.user_id, g.user_principal_name, g.display_name, g.user_type, g.privileged,"
            + " g.kind, g.count, g.first_seen, g.last_seen, g.apps, g.client_apps, g.locations, g.ip_addresses,"
            + " g.default_method, g.methods_registered, g.per_user_mfa_state, g.detail";

    private final EntityManager em;
    private final SharedMailboxes mailboxes;

    public GapQueries(EntityManager em, SharedMailboxes mailboxes) {
        this.em = em;
        this.mailboxes = mailboxes;
    }

    /**
     * The gaps of the tenant's latest scan that sent gap signals, of one kind or all, privileged users first, then by
     * UPN; listed shared mailboxes apart unless {@code includeSharedMailboxes}; 404 problem+json when no scan of it
     * sent any.
     */
    @Transactional
    public GapView.TenantGaps latest(String tenantId, String kind, boolean includeSharedMailboxes) {
        String tenant = Check.guid("tenantId", tenantId);
        GapKind k = Check.oneOf("kind", kind, GapKind.class);
        GapSignalReads.ScanRef scan = GapSignalReads.latestScan(em, tenant)
                .orElseThrow(() -> ProblemException.notFound("gap signals of tenant", tenant));
        List<?> rows = em.createNativeQuery("select " + COLUMNS + " from mfa_gap g where g.tenant_id = :t"
                        + " and g.scan_id = :s and (cast(:k as varchar) is null or g.kind = cast(:k as varchar))"
                        + " order by g.privileged is not true, lower(g.user_principal_name), g.user_id, g.kind")
                .setParameter("t", tenant).setParameter("s", scan.scanId()).setParameter("k", k == null ? null : k.name())
                .getResultList();
        SharedMailboxes.Matcher listed = mailboxes.matcher(tenant);
        List<GapView> items = new ArrayList<>();
        List<GapView> apart = new ArrayList<>();
        Map<String, Long> counts = new TreeMap<>();
        Map<String, Long> apartCounts = new TreeMap<>();
        for (Object o : rows) {
            GapView g = view((Object[]) o, listed);
            if (g.sharedMailbox()) {
                apart.add(g);
                apartCounts.merge(g.kind(), 1L, Long::sum);
            }
            if (!g.sharedMailbox() || includeSharedMailboxes) {
                items.add(g);
                counts.merge(g.kind(), 1L, Long::sum);
            }
        }
        return new GapView.TenantGaps(tenant, scan.scanId(), scan.observedAt(), includeSharedMailboxes, counts,
                apartCounts, items, apart);
    }

    /**
     * Writes the gaps of each tenant's latest scan with gap signals (or of {@code tenantId}, already checked) as CSV for
     * Excel (UTF-8 BOM, formulas neutralised) with {@link #GAPS_CSV_COLUMNS}, streamed from a database cursor: by
     * tenant, privileged users first, then UPN. Gaps of listed shared mailboxes only with {@code includeSharedMailboxes}
     * (then {@code SharedMailbox} is true).
     */
    @Transactional
    public void writeGapsCsv(String tenantId, GapKind kind, boolean includeSharedMailboxes, OutputStream out)
            throws IOException {
        Query query = em.createNativeQuery("select l.tenant_id, " + COLUMNS + " from "
                        + GapSignalReads.LATEST_SCAN_PER_TENANT + " l join mfa_gap g on g.tenant_id = l.tenant_id"
                        + " and g.scan_id = l.scan_id where (cast(:k as varchar) is null or g.kind = cast(:k as varchar))"
                        + " order by l.tenant_id, g.privileged is not true, lower(g.user_principal_name), g.user_id, g.kind")
                .setParameter("tenant", tenantId).setParameter("k", kind == null ? null : kind.name())
                .setHint(HibernateHints.HINT_FETCH_SIZE, EXPORT_FETCH_SIZE);
        Map<String, SharedMailboxes.Matcher> lists = new HashMap<>();
        CsvWriter csv = CsvWriter.forExcel(out, GAPS_CSV_COLUMNS);
        try (Stream<?> rows = query.getResultStream()) {
            Iterator<?> it = rows.iterator();
            while (it.hasNext()) {
                Object[] r = (Object[]) it.next();
                String tenant = (String) r[0];
                Object[] gap = java.util.Arrays.copyOfRange(r, 1, r.length);
                GapView g = view(gap, lists.computeIfAbsent(tenant, mailboxes::matcher));
                if (g.sharedMailbox() && !includeSharedMailboxes) {
                    continue;
                }
                csv.row(tenant, g.userId(), g.userPrincipalName(), g.displayName(), g.kind(), text(g.count()),
                        text(g.firstSeen()), text(g.lastSeen()), String.join("; ", g.apps()),
                        String.join("; ", g.clientApps()), g.detail(), text(g.privileged()), text(g.sharedMailbox()));
            }
        }
        csv.flush();
    }

    private static GapView view(Object[] r, SharedMailboxes.Matcher listed) {
        return new GapView((String) r[0], (String) r[1], (String) r[2], (String) r[3], (Boolean) r[4],
                (String) r[5], r[6] == null ? null : ((Number) r[6]).intValue(), instant(r[7]), instant(r[8]),
                GapSignalReads.strings(r[9]), GapSignalReads.strings(r[10]), GapSignalReads.strings(r[11]),
                GapSignalReads.strings(r[12]), (String) r[13], GapSignalReads.strings(r[14]), (String) r[15],
                (String) r[16], listed.isListed((String) r[0], (String) r[1]));
    }

    /**
     * The gaps one scan of the tenant reported, of one kind (null: all), privileged users first, then by UPN; listed
     * shared mailboxes marked.
     */
    public List<GapView> ofScan(String tenant, UUID scanId, String kind) {
        List<?> rows = em.createNativeQuery("select " + COLUMNS + " from mfa_gap g where g.tenant_id = :t"
                        + " and g.scan_id = :s and (cast(:k as varchar) is null or g.kind = cast(:k as varchar))"
                        + " order by g.privileged is not true, lower(g.user_principal_name), g.user_id, g.kind")
                .setParameter("t", tenant).setParameter("s", scanId).setParameter("k", kind).getResultList();
        SharedMailboxes.Matcher listed = mailboxes.matcher(tenant);
        return rows.stream().map(o -> view((Object[]) o, listed)).toList();
    }

    static Instant instant(Object value) {
        return GapSignalReads.instant(value);
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
