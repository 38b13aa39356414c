package io.mfagov.graphsim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.graphsim.gen.TenantGenerator;
import io.mfagov.graphsim.internal.Engine;
import io.mfagov.graphsim.internal.Faults;
import io.mfagov.graphsim.internal.GraphApi;
import io.mfagov.graphsim.internal.HttpFront;
import io.mfagov.graphsim.internal.Json;
import io.mfagov.graphsim.internal.Limits;
import io.mfagov.graphsim.internal.TlsMaterial;
import io.mfagov.graphsim.internal.TokenEndpoint;
import io.mfagov.graphsim.internal.TokenService;
import io.mfagov.graphsim.model.AppRegistration;
import io.mfagov.graphsim.model.Tenant;
import io.mfagov.graphsim.model.TenantFixture;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A multi-tenant Microsoft Graph stand-in, embeddable (tests start it in-process) and runnable ({@link Main}).
 *
 * <pre>{@code
 * try (GraphSimulator sim = GraphSimulator.start(SimulatorConfig.defaults())) {
 *     TenantCredentials c = sim.credentials(DemoTenants.WELL_RUN);
 *     // azure-identity: authorityHost(sim.authorityUrl()), tenantId, clientId, c.simulatorClientSecret(),
 *     // trust store sim.trustStorePath() / sim.trustStorePassword(); Graph base URL sim.graphBaseUrl()
 * }
 * }</pre>
 */
public final class GraphSimulator implements AutoCloseable {

    private final SimulatorConfig config;
    private final TenantRegistry tenants;
    private final SimulatorAdmin admin;
    private final RequestCounters counters;
    private final TlsMaterial tls;
    private final Vertx vertx;
    private final int httpPort;
    private final int httpsPort;
    private final String host;

    private GraphSimulator(SimulatorConfig config, TenantRegistry tenants, SimulatorAdmin admin, RequestCounters counters,
                           TlsMaterial tls, Vertx vertx, int httpPort, int httpsPort) {
        this.config = config;
        this.tenants = tenants;
        this.admin = admin;
        this.counters = counters;
        this.tls = tls;
        this.vertx = vertx;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.host = "0.0.0.0".equals(config.host) ? "127.0.0.1" : config.host;
    }

    /** Loads the tenants, creates/reuses the TLS certificate and starts listening. Blocks until ready. */
    public static GraphSimulator start(SimulatorConfig config) {
        TenantRegistry registry = new TenantRegistry();
        List<TenantFixture> fixtures = new ArrayList<>();
        if (config.demo) {
            fixtures.addAll(Fixtures.demo());
        }
        for (Path d : config.fixtureDirs) {
            fixtures.addAll(Fixtures.readDirectory(d));
        }
        fixtures.addAll(config.fixtures);
        registry.addAll(Fixtures.build(fixtures, config.clock.now()));
        if (config.generatorSeed != null && config.generatorCount > 0) {
            registry.addAll(TenantGenerator.generate(config.generatorSeed, config.generatorCount,
                    config.generatorSettings.withAnchor(config.clock.now())));
        }
        Path dataDir;
        try {
            dataDir = config.dataDir != null ? config.dataDir : Files.createTempDirectory("graph-simulator");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TlsMaterial tls = TlsMaterial.createOrReuse(dataDir);

        SimClock clock = config.clock;
        RequestCounters counters = new RequestCounters();
        Limits limits = new Limits(config.limits, clock);
        Faults faults = new Faults(config.faultSeed);
        TokenService tokens = new TokenService(clock, config.staticTokens);
        Engine engine = new Engine(new GraphApi(clock), limits, faults, counters, registry, tokens, clock);
        AppDirectory apps = buildApps(config, registry, fixtures);
        SimulatorAdmin admin = new SimulatorAdmin(faults, limits, counters, tokens, registry, clock, apps);
        TokenEndpoint tokenEndpoint = new TokenEndpoint(registry, apps, tokens, counters, clock, config.tokenLifetime, config.mspApp);

        // both free ports are taken while both probe sockets are open: probed one after the other, the OS may hand out
        // the same port twice, and Vert.x then SHARES it between the plain and the TLS server (round robin), so a TLS
        // client is answered in plain text now and then
        int[] free = freePorts(config.host, 2);
        int httpPort = config.httpPort > 0 ? config.httpPort : free[0];
        int httpsPort = config.httpsPort > 0 ? config.httpsPort : (free[1] == httpPort ? free[0] : free[1]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.eventLoops)
                .setWorkerPoolSize(2).setInternalBlockingPoolSize(2));
        GraphSimulator[] self = new GraphSimulator[1];
        HttpFront.Services services = new HttpFront.Services(engine, tokenEndpoint, admin, registry,
                () -> self[0].info(), t -> self[0].tenantInfo(t), tls.keyStore(), TlsMaterial.PASSWORD);
        self[0] = new GraphSimulator(config, registry, admin, counters, tls, vertx, httpPort, httpsPort);
        try {
            vertx.deployVerticle(() -> new HttpFront(services, config.host, httpPort, httpsPort),
                            new DeploymentOptions().setInstances(config.eventLoops))
                    .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("graph simulator failed to start on ports " + httpPort + "/" + httpsPort, e);
        }
        self[0].writeTenantsFile(dataDir);
        return self[0];
    }

    /** App registrations from the tenants' fixtures and the builder; trusted issuers; the builder's consents. */
    private static AppDirectory buildApps(SimulatorConfig config, TenantRegistry registry, List<TenantFixture> fixtures) {
        AppDirectory apps = new AppDirectory();
        for (TenantFixture f : fixtures) {
            for (TenantFixture.ApplicationFixture a : f.applications) {
                try {
                    apps.register(AppRegistration.fromFixture(a, f.tenantId, config.clock.now()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("tenant " + f.tenantId + ": " + e.getMessage(), e);
                }
            }
        }
        for (AppRegistration a : config.apps) {
            apps.register(a.copy());
        }
        config.trustedIssuers.forEach(apps::trustIssuer);
        for (SimulatorConfig.Consent c : config.consents) {
            Tenant t = registry.get(c.tenantId());
            if (t == null) {
                throw new IllegalArgumentException("consent for app " + c.clientId() + " in unknown tenant " + c.tenantId());
            }
            t.consent(c.clientId(), c.permissions());
        }
        return apps;
    }

    /** {@code n} distinct free ports: every probe socket stays open until all are known. */
    private static int[] freePorts(String host, int n) {
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0, 50, InetAddress.getByName(host));
                sockets[i].setReuseAddress(true);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // a probe socket: nothing to keep
                    }
                }
            }
        }
    }

    // ---- URLs and trust ------------------------------------------------------------------------------------

    /** Graph v1.0 over plain http, e.g. {@code http://127.0.0.1:40123/v1.0} (the Graph SDK allows http to localhost). */
    public String graphBaseUrl() {
        return "http://" + host + ":" + httpPort + "/v1.0";
    }

    /** Graph beta over plain http. */
    public String betaBaseUrl() {
        return "http://" + host + ":" + httpPort + "/beta";
    }

    /** Graph v1.0 over https (same certificate as the authority). */
    public String graphHttpsBaseUrl() {
        return "https://" + host + ":" + httpsPort + "/v1.0";
    }

    /** The token authority host, https (for azure-identity's {@code authorityHost}); no trailing slash. */
    public String authorityUrl() {
        return "https://" + host + ":" + httpsPort;
    }

    /** {@code authorityUrl()/tenantId/oauth2/v2.0/token}. */
    public String tokenUrl(String tenantId) {
        return authorityUrl() + "/" + tenantId + "/oauth2/v2.0/token";
    }

    /** The admin API root, e.g. {@code http://127.0.0.1:40123/_admin}. */
    public String adminUrl() {
        return "http://" + host + ":" + httpPort + "/_admin";
    }

    public int httpPort() {
        return httpPort;
    }

    public int httpsPort() {
        return httpsPort;
    }

    /** PKCS12 trust store holding the simulator's self-signed certificate. */
    public Path trustStorePath() {
        return tls.trustStorePath();
    }

    public String trustStorePassword() {
        return TlsMaterial.PASSWORD;
    }

    /**
     * Sets {@code javax.net.ssl.trustStore*} system properties to the simulator's trust store (covers azure-identity's
     * Netty and the Graph SDK's OkHttp). Call before the first TLS use in the JVM.
     */
    public void installTrustStoreSystemProperties() {
        System.setProperty("javax.net.ssl.trustStore", trustStorePath().toString());
        System.setProperty("javax.net.ssl.trustStorePassword", trustStorePassword());
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    }

    /** JSON file listing every tenant's simulator-only credentials (written at start into the data directory). */
    public Path tenantsFile() {
        return tls.trustStorePath().getParent().resolve("graph-simulator-tenants.json");
    }

    // ---- tenants and control -------------------------------------------------------------------------------

    public TenantRegistry tenants() {
        return tenants;
    }

    public Tenant tenant(String tenantId) {
        Tenant t = tenants.get(tenantId);
        if (t == null) {
            throw new IllegalArgumentException("unknown tenant " + tenantId);
        }
        return t;
    }

    /** Simulator-only client credentials of a tenant's app, plus URLs. */
    public TenantCredentials credentials(String tenantId) {
        Tenant t = tenant(tenantId);
        return new TenantCredentials(t.id(), t.clientId(), t.simulatorClientSecret(), authorityUrl(), tokenUrl(t.id()),
                graphBaseUrl(), TokenService.STATIC_PREFIX + t.id());
    }

    /** The static bearer token for a tenant: {@code sim-static:<tenantId>} (if static tokens are enabled). */
    public String staticToken(String tenantId) {
        return TokenService.STATIC_PREFIX + tenant(tenantId).id();
    }

    /** App registrations (credentials) and trusted issuers. */
    public AppDirectory apps() {
        return admin.apps();
    }

    /** Faults, limits, counters, tokens, clock. */
    public SimulatorAdmin admin() {
        return admin;
    }

    public RequestCounters counters() {
        return counters;
    }

    public SimulatorConfig config() {
        return config;
    }

    ObjectNode info() {
        ObjectNode o = Json.obj();
        o.put("graphBaseUrl", graphBaseUrl());
        o.put("betaBaseUrl", betaBaseUrl());
        o.put("graphHttpsBaseUrl", graphHttpsBaseUrl());
        o.put("authorityUrl", authorityUrl());
        o.put("adminUrl", adminUrl());
        o.put("trustStorePath", trustStorePath().toString());
        o.put("trustStorePassword", trustStorePassword());
        o.put("trustStoreType", "PKCS12");
        o.put("tenantsFile", tenantsFile().toString());
        o.put("tenantCount", tenants.size());
        o.put("staticTokens", config.staticTokens);
        o.set("limits", Json.MAPPER.valueToTree(admin.limits()));
        return o;
    }

    ObjectNode tenantInfo(Tenant t) {
        ObjectNode o = Json.obj();
        o.put("tenantId", t.id());
        o.put("displayName", t.displayName());
        o.put("domain", t.domain());
        if (t.description() != null) {
            o.put("description", t.description());
        }
        o.put("clientId", t.clientId());
        o.put("simulatorClientSecret", t.simulatorClientSecret());
        o.put("tokenUrl", tokenUrl(t.id()));
        o.put("staticToken", TokenService.STATIC_PREFIX + t.id());
        o.put("users", t.users().size());
        o.put("groups", t.groups().size());
        o.put("conditionalAccessPolicies", t.policyEntries().size());
        o.put("securityDefaultsEnabled", t.securityDefaultsEnabled());
        return o;
    }

    private void writeTenantsFile(Path dir) {
        ObjectNode root = info();
        root.put("note", "SIMULATOR-ONLY credentials: they authenticate against this graph-simulator and nothing else.");
        ArrayNode arr = root.putArray("tenants");
        for (Tenant t : tenants.all()) {
            arr.add(tenantInfo(t));
        }
        try {
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("graph-simulator-tenants.json").toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // best effort
        }
    }
}
