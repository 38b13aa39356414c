package io.mfagov.register.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.Collection;
import java.util.Locale;
import java.util.TreeSet;

/**
 * A transaction-scoped PostgreSQL advisory lock per tenant, so that reconciliation (which reads a tenant's exceptions
 * and then overwrites its exclusions' status, exception, category and expiry) and the exception workflow (which changes
 * exceptions and re-decides those exclusions) never interleave: whichever comes second reads what the first committed.
 * <p>
 * The lock is the two-key form {@code pg_advisory_xact_lock(NAMESPACE, hash)}: its key space is separate from the
 * single-bigint locks (scheduler, lifecycle, audit chain), and {@code NAMESPACE} is used for nothing else. The hash is
 * {@link String#hashCode()} of the lower-case tenant id, which the Java language fixes, so every replica and version
 * computes the same key; two tenants sharing a hash only serialize a little more.
 */
@ApplicationScoped
public class TenantLocks {

    /** "mfgt": the key space of per-tenant reconciliation locks. */
    public static final int NAMESPACE = 0x6d666774;

    private final EntityManager em;

    public TenantLocks(EntityManager em) {
        this.em = em;
    }

    /** The second key of the tenant's lock. */
    public static int key(String tenantId) {
        return tenantId.toLowerCase(Locale.ROOT).hashCode();
    }

    /** Waits for the tenant's lock; it is held until the caller's transaction ends (re-entrant within it). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lock(String tenantId) {
        em.createNativeQuery("select 1 from (select pg_advisory_xact_lock(?1, ?2)) l")
                .setParameter(1, NAMESPACE).setParameter(2, key(tenantId)).getSingleResult();
    }

    /** Locks several tenants, in one order (of their keys) so that two transactions cannot deadlock on them. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockAll(Collection<String> tenantIds) {
        TreeSet<Integer> keys = new TreeSet<>();
        tenantIds.forEach(t -> keys.add(key(t)));
        for (int k : keys) {
            em.createNativeQuery("select 1 from (select pg_advisory_xact_lock(?1, ?2)) l")
                    .setParameter(1, NAMESPACE).setParameter(2, k).getSingleResult();
        }
    }
}
