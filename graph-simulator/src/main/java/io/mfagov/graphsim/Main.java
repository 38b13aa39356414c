package io.mfagov.graphsim;

import io.mfagov.graphsim.gen.TenantGenerator;
import io.mfagov.graphsim.model.Tenant;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar graph-simulator-runner.jar [--demo | --tenants N [--seed S] | --fixtures DIR] [--port P]
 * [--tls-port P] [--no-limits] [--data-dir DIR] [--host H] [--export DIR]}.
 */
public final class Main {

    public static final int DEFAULT_HTTP_PORT = 8990;
    public static final int DEFAULT_HTTPS_PORT = 8991;

    private Main() {
    }

    /** Environment variable holding the simulator-only secret of the MSP app named by --msp-client-id. */
    static final String MSP_SECRET_ENV = "GRAPH_SIM_MSP_CLIENT_SECRET";

    public static void main(String[] args) throws Exception {
        SimulatorConfig.Builder b = SimulatorConfig.builder();
        int port = DEFAULT_HTTP_PORT;
        int tlsPort = DEFAULT_HTTPS_PORT;
        Integer tenants = null;
        long seed = 1;
        Path dataDir = null;
        Path export = null;
        String mspClientId = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--demo" -> b.demoTenants();
                case "--onboarding" -> io.mfagov.graphsim.testing.OnboardingFixture.configure(b);
                case "--tenants" -> tenants = Integer.parseInt(value(args, ++i, a));
                case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
                case "--fixtures" -> b.fixtures(Path.of(value(args, ++i, a)));
                case "--port" -> port = Integer.parseInt(value(args, ++i, a));
                case "--tls-port" -> tlsPort = Integer.parseInt(value(args, ++i, a));
                case "--no-limits" -> b.noLimits();
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, a));
                case "--host" -> b.host(value(args, ++i, a));
                case "--no-static-tokens" -> b.staticTokens(false);
                case "--export" -> export = Path.of(value(args, ++i, a));
                case "--msp-client-id" -> mspClientId = value(args, ++i, a);
                case "-h", "--help" -> {
                    usage();
                    return;
                }
                default -> {
                    System.err.println("unknown option " + a);
                    usage();
                    System.exit(2);
                }
            }
        }
        if (export != null) {
            int n = tenants == null ? 10 : tenants;
            for (int i = 0; i < n; i++) {
                Fixtures.write(TenantGenerator.fixture(seed, i), export.resolve(String.format("tenant-%05d.json", i)));
            }
            System.out.println("wrote " + n + " generated tenant fixtures (seed " + seed + ") to " + export.toAbsolutePath());
            return;
        }
        if (tenants != null) {
            b.generated(seed, tenants);
        }
        if (mspClientId != null) {
            String secret = System.getenv(MSP_SECRET_ENV);
            if (secret == null || secret.isBlank()) {
                throw new IllegalArgumentException("--msp-client-id needs the app's simulator-only secret in " + MSP_SECRET_ENV);
            }
            b.mspApp(mspClientId, secret);
        }
        b.httpPort(port).httpsPort(tlsPort);
        b.dataDir(dataDir != null ? dataDir : Path.of(System.getProperty("java.io.tmpdir"), "graph-simulator-" + tlsPort));
        long t0 = System.nanoTime();
        GraphSimulator sim = GraphSimulator.start(b.build());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        print(sim, ms);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            done.countDown();
        }));
        done.await();
    }

    private static void print(GraphSimulator sim, long ms) {
        LimitsConfig l = sim.admin().limits();
        System.out.println("graph-simulator started in " + ms + " ms");
        System.out.println("  Graph v1.0:        " + sim.graphBaseUrl());
        System.out.println("  Graph beta:        " + sim.betaBaseUrl());
        System.out.println("  Graph over TLS:    " + sim.graphHttpsBaseUrl());
        System.out.println("  Token authority:   " + sim.authorityUrl() + "   (POST /{tenantId}/oauth2/v2.0/token)");
        System.out.println("  Admin API:         " + sim.adminUrl());
        System.out.println("  Trust store:       " + sim.trustStorePath() + "  (PKCS12, password: " + sim.trustStorePassword() + ")");
        System.out.println("  Limits:            " + (l.enabled() ? "on (CA " + l.caRequestsPerSecond() + "/s, reports "
                + l.reportsRequests() + "/" + l.reportsWindowSeconds() + " s, directory RU token bucket)" : "off"));
        System.out.println("  Static tokens:     " + (sim.config().staticTokens ? "accepted: Authorization: Bearer sim-static:<tenantId>" : "off"));
        if (sim.config().mspApp != null) {
            System.out.println("  MSP app:           client id " + sim.config().mspApp.clientId()
                    + ", consented in every tenant (secret from " + MSP_SECRET_ENV + ")");
        }
        System.out.println("  Tenants:           " + sim.tenants().size() + "  (all simulator-only credentials: " + sim.tenantsFile() + ")");
        List<Tenant> all = sim.tenants().all();
        // the secrets stay in the tenants file: a log line never carries one, not even a simulator-only one
        System.out.printf("  %-38s %-38s %s%n", "tenantId", "clientId", "displayName");
        for (int i = 0; i < Math.min(10, all.size()); i++) {
            Tenant t = all.get(i);
            System.out.printf("  %-38s %-38s %s%n", t.id(), t.clientId(), t.displayName());
        }
        if (all.size() > 10) {
            System.out.println("  ... " + (all.size() - 10) + " more in " + sim.tenantsFile());
        }
        System.out.flush();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static void usage() {
        System.out.println("""
                usage: java -jar graph-simulator-runner.jar [tenants] [options]
                tenants (combinable; default --demo):
                  --demo                 the four hand-written demo tenants
                  --tenants N [--seed S] N generated tenants (deterministic for a seed; default seed 1)
                  --fixtures DIR         every *.json tenant fixture under DIR
                  --onboarding           the onboarding set: a partner (MSP) tenant and seven customers
                options:
                  --port P               Graph + admin over http (default 8990)
                  --tls-port P           token authority + Graph over https (default 8991)
                  --no-limits            switch Graph's service limits off
                  --no-static-tokens     refuse sim-static:<tenantId> bearer tokens
                  --data-dir DIR         where the trust store and tenant list are written
                  --host H               listen address (default 127.0.0.1)
                  --export DIR           write --tenants N generated tenants as fixture files and exit
                  --msp-client-id ID     an MSP multi-tenant app consented in every tenant; its simulator-only
                                         secret comes from the environment variable GRAPH_SIM_MSP_CLIENT_SECRET""");
    }
}
