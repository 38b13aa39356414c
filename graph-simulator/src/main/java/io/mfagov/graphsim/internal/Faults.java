package io.mfagov.graphsim.internal;

import io.mfagov.graphsim.FaultSpec;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/** Fault specs (global + per tenant) and the random draws deciding each request's fate. */
public final class Faults {
    private volatile FaultSpec global = FaultSpec.none();
    private final ConcurrentHashMap<String, FaultSpec> perTenant = new ConcurrentHashMap<>();
    private final Random random;

    public Faults(long seed) {
        this.random = new Random(seed);
    }

    public FaultSpec global() {
        return global;
    }

    public void setGlobal(FaultSpec spec) {
        this.global = spec == null ? FaultSpec.none() : spec;
    }

    public FaultSpec tenant(String tenantId) {
        return perTenant.get(tenantId);
    }

    public void setTenant(String tenantId, FaultSpec spec) {
        if (spec == null) {
            perTenant.remove(tenantId);
        } else {
            perTenant.put(tenantId, spec);
        }
    }

    public Map<String, FaultSpec> tenantSpecs() {
        return Map.copyOf(perTenant);
    }

    public void clear() {
        global = FaultSpec.none();
        perTenant.clear();
    }

    /** The spec in force for a tenant and endpoint, or null. */
    public FaultSpec effective(String tenantId, String endpointKey) {
        FaultSpec s = tenantId == null ? null : perTenant.get(tenantId);
        if (s == null) {
            s = global;
        }
        if (s == null || s.isNone() || !s.appliesTo(endpointKey)) {
            return null;
        }
        return s;
    }

    public double draw() {
        return random.nextDouble();
    }

    public long jitter(long maxMs) {
        return maxMs <= 0 ? 0 : (long) (random.nextDouble() * (maxMs + 1));
    }
}
