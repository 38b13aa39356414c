package io.mfagov.graphsim;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request accounting: requests per tenant and per endpoint key (inner $batch requests count individually, the
 * $batch envelope counts as {@code batch}), plus how many were throttled (429 from limits or faults).
 * Requests without a resolvable tenant count under {@link #UNKNOWN_TENANT}.
 */
public final class RequestCounters {

    public static final String UNKNOWN_TENANT = "_unknown";

    private final ConcurrentHashMap<String, ConcurrentHashMap<String, LongAdder>> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> throttled = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    /** Internal: counts one request. */
    public void count(String tenantId, String endpoint) {
        String t = tenantId == null ? UNKNOWN_TENANT : tenantId;
        requests.computeIfAbsent(t, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(endpoint, k -> new LongAdder()).increment();
        total.increment();
    }

    /** Internal: counts one 429. */
    public void countThrottled(String tenantId) {
        throttled.computeIfAbsent(tenantId == null ? UNKNOWN_TENANT : tenantId, k -> new LongAdder()).increment();
    }

    /** All requests counted since the last reset. */
    public long total() {
        return total.sum();
    }

    public long forTenant(String tenantId) {
        Map<String, LongAdder> m = requests.get(tenantId);
        return m == null ? 0 : m.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long forTenant(String tenantId, String endpoint) {
        Map<String, LongAdder> m = requests.get(tenantId);
        LongAdder a = m == null ? null : m.get(endpoint);
        return a == null ? 0 : a.sum();
    }

    /** Sum over all tenants for one endpoint key. */
    public long forEndpoint(String endpoint) {
        return requests.values().stream().mapToLong(m -> {
            LongAdder a = m.get(endpoint);
            return a == null ? 0 : a.sum();
        }).sum();
    }

    /** 429s answered to the tenant (limits and injected). */
    public long throttled(String tenantId) {
        LongAdder a = throttled.get(tenantId);
        return a == null ? 0 : a.sum();
    }

    public Map<String, Long> byEndpoint(String tenantId) {
        Map<String, Long> out = new TreeMap<>();
        Map<String, LongAdder> m = requests.get(tenantId);
        if (m != null) {
            m.forEach((k, v) -> out.put(k, v.sum()));
        }
        return out;
    }

    /** tenant → endpoint → count. */
    public Map<String, Map<String, Long>> snapshot() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        requests.forEach((t, m) -> out.put(t, byEndpoint(t)));
        return out;
    }

    public synchronized void reset() {
        requests.clear();
        throttled.clear();
        total.reset();
    }

    public void reset(String tenantId) {
        Map<String, LongAdder> m = requests.remove(tenantId);
        if (m != null) {
            total.add(-m.values().stream().mapToLong(LongAdder::sum).sum());
        }
        throttled.remove(tenantId);
    }
}
