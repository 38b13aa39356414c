package io.mfagov.register.service;

import io.mfagov.register.api.SharedMailboxInput;
import io.mfagov.register.entity.SharedMailboxEntry;
import io.mfagov.support.problem.Check;
import io.mfagov.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A tenant's shared, room and resource mailboxes (Graph marks no account as such): the list kept by admins, and the
 * one place that decides whether an account is listed ({@link #isListed}, {@link #matcher}). Gaps of listed accounts
 * are reported apart and left out of counts by default, never as noise.
 */
@ApplicationScoped
public class SharedMailboxes {

    /** A UPN glob: a local part with at least one literal character, {@code @}, a literal domain. */
    private static final Pattern UPN_PATTERN = Pattern.compile("[a-z0-9._%+'!#$&=^`{|}~*?-]+@[a-z0-9-]+(\\.[a-z0-9-]+)+");

    private final EntityManager em;
    private final AuditLog audit;
    private final TenantService tenants;

    public SharedMailboxes(EntityManager em, AuditLog audit, TenantService tenants) {
        this.em = em;
        this.audit = audit;
        this.tenants = tenants;
    }

    /** The tenant's list, user ids first then patterns; 404 for a tenant the catalogue does not know. */
    @Transactional
    public List<SharedMailboxEntry> list(String tenantId) {
        String tenant = tenants.get(tenantId).tenantId;
        return entries(tenant);
    }

    @Transactional
    public SharedMailboxEntry add(String tenantId, SharedMailboxInput in, String actor) {
        Check.required("body", in);
        audit.lockChain(); // lock order: AuditLog.lockChain, then rows
        String tenant = tenants.get(tenantId).tenantId;
        boolean hasUser = in.userId() != null && !in.userId().isBlank();
        boolean hasPattern = in.upnPattern() != null && !in.upnPattern().isBlank();
        if (hasUser == hasPattern) {
            throw ProblemException.invalid(hasUser ? "upnPattern" : "userId",
                    "give exactly one of userId and upnPattern");
        }
        SharedMailboxEntry e = new SharedMailboxEntry();
        e.id = UUID.randomUUID();
        e.tenantId = tenant;
        e.userId = hasUser ? Check.guid("userId", in.userId().trim()) : null;
        e.upnPattern = hasPattern ? checkPattern(in.upnPattern()) : null;
        e.note = Check.maxLength("note", in.note() == null || in.note().isBlank() ? null : in.note().trim(), 1024);
        e.addedBy = actor;
        e.addedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String key = hasUser ? e.userId : e.upnPattern;
        if (!em.createQuery("select s.id from SharedMailboxEntry s where s.tenantId = :t"
                        + " and (s.userId = :k or s.upnPattern = :k)", UUID.class)
                .setParameter("t", tenant).setParameter("k", key).getResultList().isEmpty()) {
            throw ProblemException.conflict((hasUser ? "userId " : "upnPattern ") + key + " is already listed");
        }
        em.persist(e);
        audit.append(tenant, actor, "SHARED_MAILBOX_ADDED", "shared-mailbox", e.id, describe(e));
        return e;
    }

    @Transactional
    public void remove(String tenantId, String id, String actor) {
        audit.lockChain();
        String tenant = Check.guid("tenantId", tenantId);
        SharedMailboxEntry e = em.find(SharedMailboxEntry.class, Check.uuid("id", id));
        if (e == null || !e.tenantId.equals(tenant)) {
            throw ProblemException.notFound("shared mailbox", id);
        }
        em.remove(e);
        audit.append(tenant, actor, "SHARED_MAILBOX_REMOVED", "shared-mailbox", e.id, describe(e));
    }

    /** Whether the tenant lists the account (by its id, or its UPN matching a pattern). */
    @Transactional
    public boolean isListed(String tenantId, String userId, String upn) {
        return matcher(tenantId).isListed(userId, upn);
    }

    /** The tenant's list as a matcher, read once: for checking many accounts in one go. */
    @Transactional
    public Matcher matcher(String tenantId) {
        return Matcher.of(entries(tenantId.toLowerCase(Locale.ROOT)));
    }

    private List<SharedMailboxEntry> entries(String tenant) {
        return em.createQuery("from SharedMailboxEntry s where s.tenantId = :t order by s.upnPattern nulls first,"
                + " s.userId, s.id", SharedMailboxEntry.class).setParameter("t", tenant).getResultList();
    }

    /** Checks a UPN pattern (400 naming {@code upnPattern}) and returns it in lower case. */
    static String checkPattern(String raw) {
        String p = Check.maxLength("upnPattern", raw.trim(), 256).toLowerCase(Locale.ROOT);
        if (!UPN_PATTERN.matcher(p).matches()) {
            throw ProblemException.invalid("upnPattern", "upnPattern must look like a UPN with * or ? in the part"
                    + " before @ and a literal domain, e.g. room-*@contoso.com");
        }
        if (p.substring(0, p.indexOf('@')).chars().allMatch(ch -> ch == '*' || ch == '?')) {
            throw ProblemException.invalid("upnPattern", "upnPattern must name something before @: wildcards alone"
                    + " would list every account of the domain");
        }
        return p;
    }

    private static Map<String, Object> describe(SharedMailboxEntry e) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("userId", e.userId);
        d.put("upnPattern", e.upnPattern);
        d.put("note", e.note);
        return d;
    }

    /** A tenant's list, ready to match accounts. */
    public static final class Matcher {

        private static final Matcher NONE = new Matcher(Set.of(), List.of());

        private final Set<String> userIds;
        private final List<Pattern> patterns;

        private Matcher(Set<String> userIds, List<Pattern> patterns) {
            this.userIds = userIds;
            this.patterns = patterns;
        }

        public static Matcher none() {
            return NONE;
        }

        public static Matcher of(List<SharedMailboxEntry> entries) {
            Set<String> ids = new HashSet<>();
            List<Pattern> globs = new java.util.ArrayList<>();
            for (SharedMailboxEntry e : entries) {
                if (e.userId != null) {
                    ids.add(e.userId.toLowerCase(Locale.ROOT));
                } else if (e.upnPattern != null) {
                    globs.add(glob(e.upnPattern));
                }
            }
            return new Matcher(Set.copyOf(ids), List.copyOf(globs));
        }

        /** Whether the account is listed: its id (any case), or its UPN matches a pattern (case-insensitive). */
        public boolean isListed(String userId, String upn) {
            if (userId != null && userIds.contains(userId.toLowerCase(Locale.ROOT))) {
                return true;
            }
            if (upn == null) {
                return false;
            }
            String u = upn.toLowerCase(Locale.ROOT);
            return patterns.stream().anyMatch(p -> p.matcher(u).matches());
        }

        public boolean isEmpty() {
            return userIds.isEmpty() && patterns.isEmpty();
        }

        /** A glob (* any run, ? one character, everything else literal) as an anchored regular expression. */
        static Pattern glob(String glob) {
            StringBuilder re = new StringBuilder();
            for (char ch : glob.toLowerCase(Locale.ROOT).toCharArray()) {
                switch (ch) {
                    case '*' -> re.append(".*");
                    case '?' -> re.append('.');
                    default -> re.append(Pattern.quote(String.valueOf(ch)));
                }
            }
            return Pattern.compile(re.toString(), Pattern.DOTALL);
        }
    }
}
