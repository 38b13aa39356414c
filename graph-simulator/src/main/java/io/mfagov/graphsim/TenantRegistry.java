package io.mfagov.graphsim;

import io.mfagov.graphsim.model.Tenant;
import io.mfagov.graphsim.model.TenantFixture;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The simulated tenants, by tenant id (and initial domain). Tenants can be added while the simulator runs. */
public final class TenantRegistry {
    private final ConcurrentHashMap<String, Tenant> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Tenant> byDomain = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<String> order = new CopyOnWriteArrayList<>();

    public TenantRegistry() {
    }

    public TenantRegistry(Collection<Tenant> tenants) {
        addAll(tenants);
    }

    public synchronized Tenant add(Tenant t) {
        String key = t.id().toLowerCase(Locale.ROOT);
        if (byId.putIfAbsent(key, t) != null) {
            throw new IllegalArgumentException("duplicate tenant id " + t.id());
        }
        byDomain.put(t.domain().toLowerCase(Locale.ROOT), t);
        order.add(t.id());
        return t;
    }

    /** Validates and adds a tenant described as a fixture. */
    public Tenant add(TenantFixture f) {
        return add(Tenant.fromFixture(f));
    }

    public synchronized void addAll(Collection<Tenant> tenants) {
        List<String> ids = new ArrayList<>(tenants.size());
        for (Tenant t : tenants) {
            String key = t.id().toLowerCase(Locale.ROOT);
            if (byId.putIfAbsent(key, t) != null) {
                throw new IllegalArgumentException("duplicate tenant id " + t.id());
            }
            byDomain.put(t.domain().toLowerCase(Locale.ROOT), t);
            ids.add(t.id());
        }
        order.addAll(ids);
    }

    /** The tenant with this id, or null. */
    public Tenant get(String tenantId) {
        return tenantId == null ? null : byId.get(tenantId.toLowerCase(Locale.ROOT));
    }

    /** By tenant id or initial domain (as the token endpoint accepts both). */
    public Optional<Tenant> find(String idOrDomain) {
        if (idOrDomain == null) {
            return Optional.empty();
        }
        String k = idOrDomain.toLowerCase(Locale.ROOT);
        Tenant t = byId.get(k);
        return Optional.ofNullable(t != null ? t : byDomain.get(k));
    }

    /** Tenant ids in load order. */
    public List<String> ids() {
        return List.copyOf(order);
    }

    public List<Tenant> all() {
        List<Tenant> out = new ArrayList<>(order.size());
        for (String id : order) {
            out.add(get(id));
        }
        return out;
    }

    public int size() {
        return order.size();
    }
}
