package io.mfagov.graphsim;

import io.mfagov.graphsim.model.AppRegistration;
import io.mfagov.graphsim.model.TenantFixture;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start a {@link GraphSimulator}. Tenant sources add up; with none, the four demo tenants are served.
 *
 * <pre>{@code
 * GraphSimulator sim = GraphSimulator.start(SimulatorConfig.builder().demoTenants().generated(42, 100).build());
 * }</pre>
 */
public final class SimulatorConfig {
    final String host;
    final int httpPort;
    final int httpsPort;
    final LimitsConfig limits;
    final SimClock clock;
    final boolean staticTokens;
    final Duration tokenLifetime;
    final Path dataDir;
    final int eventLoops;
    final long faultSeed;
    final boolean demo;
    final List<Path> fixtureDirs;
    final List<TenantFixture> fixtures;
    final Long generatorSeed;
    final int generatorCount;
    final io.mfagov.graphsim.gen.GeneratorSettings generatorSettings;
    final MspApp mspApp;
    final List<AppRegistration> apps;
    final Map<String, PublicKey> trustedIssuers;
    final List<Consent> consents;

    private SimulatorConfig(Builder b) {
        this.host = b.host;
        this.httpPort = b.httpPort;
        this.httpsPort = b.httpsPort;
        this.limits = b.limits;
        this.clock = b.clock;
        this.staticTokens = b.staticTokens;
        this.tokenLifetime = b.tokenLifetime;
        this.dataDir = b.dataDir;
        this.eventLoops = b.eventLoops;
        this.faultSeed = b.faultSeed;
        this.fixtureDirs = List.copyOf(b.fixtureDirs);
        this.fixtures = List.copyOf(b.fixtures);
        this.generatorSeed = b.generatorSeed;
        this.generatorCount = b.generatorCount;
        this.generatorSettings = b.generatorSettings;
        this.mspApp = b.mspApp;
        this.apps = List.copyOf(b.apps);
        this.trustedIssuers = Map.copyOf(b.trustedIssuers);
        this.consents = List.copyOf(b.consents);
        this.demo = b.demo || (fixtureDirs.isEmpty() && fixtures.isEmpty() && generatorSeed == null);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The MSP's multi-tenant app registration, consented in every simulated tenant: one client id and
     * secret that obtain a token for any tenant, as a real MSP's scanner does. Simulator-only values.
     */
    public record MspApp(String clientId, String clientSecret) {
        public MspApp {
            if (clientId == null || clientId.isBlank() || clientSecret == null || clientSecret.isBlank()) {
                throw new IllegalArgumentException("an MSP app needs a client id and a client secret");
            }
        }
    }

    /** Admin consent of an app in a tenant, given on the builder. */
    public record Consent(String tenantId, String clientId, Set<String> permissions) {
        public Consent {
            if (tenantId == null || clientId == null) {
                throw new IllegalArgumentException("a consent needs a tenant id and a client id");
            }
            permissions = Set.copyOf(permissions == null ? Set.of() : permissions);
        }
    }

    /** Demo tenants, random ports, Graph's limits on, system clock. */
    public static SimulatorConfig defaults() {
        return builder().build();
    }

    public LimitsConfig limits() {
        return limits;
    }

    public SimClock clock() {
        return clock;
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int httpPort;
        private int httpsPort;
        private LimitsConfig limits = LimitsConfig.graphDefaults();
        private SimClock clock = SimClock.system();
        private boolean staticTokens = true;
        private Duration tokenLifetime = Duration.ofHours(1);
        private Path dataDir;
        private int eventLoops = Runtime.getRuntime().availableProcessors();
        private long faultSeed = 42;
        private boolean demo;
        private final List<Path> fixtureDirs = new ArrayList<>();
        private final List<TenantFixture> fixtures = new ArrayList<>();
        private Long generatorSeed;
        private int generatorCount;
        private io.mfagov.graphsim.gen.GeneratorSettings generatorSettings = io.mfagov.graphsim.gen.GeneratorSettings.defaults();

        /** Listen address (default 127.0.0.1). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Plain HTTP port for Graph and the admin API (0 = any free port, the default). */
        public Builder httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        /** HTTPS port for the token authority (and Graph over TLS); 0 = any free port. */
        public Builder httpsPort(int port) {
            this.httpsPort = port;
            return this;
        }

        public Builder limits(LimitsConfig limits) {
            this.limits = limits;
            return this;
        }

        public Builder noLimits() {
            this.limits = LimitsConfig.off();
            return this;
        }

        /** A {@link ManualClock} makes limits and token expiry deterministic in tests. */
        public Builder clock(SimClock clock) {
            this.clock = clock;
            return this;
        }

        /** Accept {@code sim-static:<tenantId>} bearer tokens (default true). */
        public Builder staticTokens(boolean on) {
            this.staticTokens = on;
            return this;
        }

        public Builder tokenLifetime(Duration d) {
            this.tokenLifetime = d;
            return this;
        }

        /** Where the TLS key store and trust store are written (default: a new temp directory). */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** HTTP event loops / listener instances (default: number of cores). */
        public Builder eventLoops(int n) {
            this.eventLoops = Math.max(1, n);
            return this;
        }

        /** Seed of the fault-injection draws. */
        public Builder faultSeed(long seed) {
            this.faultSeed = seed;
            return this;
        }

        /** Serve the four demo tenants (also the default when no other source is given). */
        public Builder demoTenants() {
            this.demo = true;
            return this;
        }

        /** Every *.json fixture under the directory. */
        public Builder fixtures(Path dir) {
            this.fixtureDirs.add(dir);
            return this;
        }

        public Builder tenant(TenantFixture fixture) {
            this.fixtures.add(fixture);
            return this;
        }

        public Builder tenants(List<TenantFixture> fixtures) {
            this.fixtures.addAll(fixtures);
            return this;
        }

        /** {@code count} synthetic tenants from the deterministic generator. */
        public Builder generated(long seed, int count) {
            this.generatorSeed = seed;
            this.generatorCount = count;
            return this;
        }

        /** Sign-ins inside the 30-day window per generated tenant (default: min(3,000, 3 × users)). */
        public Builder signInsPerTenant(int n) {
            this.generatorSettings = generatorSettings.withSignInsPerTenant(n);
            return this;
        }

        /** Users per generated tenant (default: the log-normal spread). */
        public Builder usersPerTenant(int n) {
            this.generatorSettings = generatorSettings.withUsersPerTenant(n);
            return this;
        }

        private MspApp mspApp;

        /** An MSP multi-tenant app consented in every tenant (in addition to each tenant's own app). */
        public Builder mspApp(String clientId, String clientSecret) {
            this.mspApp = new MspApp(clientId, clientSecret);
            return this;
        }

        private final List<AppRegistration> apps = new ArrayList<>();
        private final Map<String, PublicKey> trustedIssuers = new LinkedHashMap<>();
        private final List<Consent> consents = new ArrayList<>();

        /**
         * An app registration (client id, secrets with end dates, certificates, federated identity credentials). It is
         * present in its home tenant and wherever it is consented ({@link #consent}, fixture {@code consents}).
         */
        public Builder app(AppRegistration app) {
            this.apps.add(app);
            return this;
        }

        /**
         * Trusts tokens whose {@code iss} is exactly {@code issuer} and that {@code key} verifies (RS256/PS256): the
         * stand-in for the issuer's OIDC discovery + JWKS (e.g. a Kubernetes cluster's service-account issuer).
         */
        public Builder trustedIssuer(String issuer, PublicKey key) {
            this.trustedIssuers.put(issuer, key);
            return this;
        }

        /** Admin consent of {@code clientId} in {@code tenantId} with these application permissions. */
        public Builder consent(String tenantId, String clientId, Collection<String> permissions) {
            this.consents.add(new Consent(tenantId, clientId, Set.copyOf(permissions)));
            return this;
        }

        public SimulatorConfig build() {
            return new SimulatorConfig(this);
        }
    }
}
