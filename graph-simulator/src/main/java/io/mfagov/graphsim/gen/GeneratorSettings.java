package io.mfagov.graphsim.gen;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Knobs of the {@link TenantGenerator} beyond (seed, count).
 *
 * @param signInsPerTenant sign-ins inside the 30-day retention window per tenant (null: min(3,000, 3 × users), as
 *                         before); about 5 % more are generated older than the window (never served)
 * @param usersPerTenant   every tenant gets this many users (null: the log-normal spread)
 * @param anchor           the newest sign-in's time (null: when this JVM first generated a tenant); the simulator
 *                         passes its clock's time at start
 */
public record GeneratorSettings(Integer signInsPerTenant, Integer usersPerTenant, Instant anchor) {

    private static final Instant PROCESS_ANCHOR = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    public GeneratorSettings {
        if (signInsPerTenant != null && signInsPerTenant < 0) {
            throw new IllegalArgumentException("signInsPerTenant must be >= 0");
        }
        if (usersPerTenant != null && usersPerTenant < 5) {
            throw new IllegalArgumentException("usersPerTenant must be >= 5");
        }
    }

    public static GeneratorSettings defaults() {
        return new GeneratorSettings(null, null, null);
    }

    public GeneratorSettings withSignInsPerTenant(int n) {
        return new GeneratorSettings(n, usersPerTenant, anchor);
    }

    public GeneratorSettings withUsersPerTenant(int n) {
        return new GeneratorSettings(signInsPerTenant, n, anchor);
    }

    public GeneratorSettings withAnchor(Instant at) {
        return new GeneratorSettings(signInsPerTenant, usersPerTenant, at);
    }

    Instant effectiveAnchor() {
        return (anchor != null ? anchor : PROCESS_ANCHOR).truncatedTo(ChronoUnit.SECONDS);
    }
}
