package io.mfagov.scanner.service;

import io.mfagov.graphsim.GraphSimulator;
import io.mfagov.graphsim.model.AppRegistration;
import io.mfagov.graphsim.testing.SelfSignedCertificate;
import io.mfagov.graphsim.testing.ServiceAccountTokenIssuer;
import io.mfagov.model.EventCodec;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.events.AccessStatus;
import io.mfagov.scanner.config.ScannerSettings;
import io.mfagov.scanner.graph.CredentialSet;
import io.mfagov.scanner.graph.CredentialSets;
import io.mfagov.scanner.graph.GraphClientFactory;
import io.mfagov.scanner.graph.PermissionTable;
import io.mfagov.scanner.support.Simulators;
import io.mfagov.scanner.support.TestTenants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import static io.mfagov.scanner.support.TestTenants.EMPTY;
import static io.mfagov.scanner.support.TestTenants.F1;
import static io.mfagov.scanner.support.TestTenants.F2;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing secret in any log line, error or event: every kind of credential (secret value, secret file and its
 * rotation, PEM and PFX certificate with its password, federated token file) and every failure (wrong and rotated
 * secrets, unknown certificate, untrusted assertion, no consent, missing permissions) is exercised through the real
 * azure-identity against the simulator while every log record of the process is captured — ours at DEBUG, and
 * azure-identity's and MSAL's at DEBUG too. No captured line, scan error or encoded ScanCompleted may contain a
 * secret, a password, a private key, an access token, a service-account token, or anything shaped like a JWT.
 */
class NoSecretInLogsTest {

    private static final String MSP_CLIENT_ID = "5e1f0c2a-9b8d-4c7e-a6f5-0d4c3b2a1908";
    private static final String MSP_SECRET = "msp-secret-" + UUID.randomUUID();
    private static final String CERT_APP = "7d1e4c2b-3a59-4f68-9b7c-0e1d2c3b4a59";
    private static final String PFX_PASSWORD = "pfx-password-" + UUID.randomUUID();
    private static final ServiceAccountTokenIssuer CLUSTER = ServiceAccountTokenIssuer.create("https://oidc.cluster.example/logs/");
    private static final String SUBJECT = ServiceAccountTokenIssuer.subject("mfagov", "scanner");
    private static final SelfSignedCertificate CERT = SelfSignedCertificate.create("CN=log-test");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.");
    private static final String[] LOGGERS = {"io.mfagov", "com.azure", "com.microsoft.aad.msal4j", "com.microsoft.graph",
            "com.microsoft.kiota", "okhttp3"};

    private static GraphSimulator sim;
    private static final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringBuilder line = new StringBuilder(record.getLoggerName() + " " + record.getLevel() + " ");
            line.append(record instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage()
                    : record.getMessage());
            if (record.getParameters() != null) {
                for (Object p : record.getParameters()) {
                    line.append(' ').append(p);
                }
            }
            if (record.getThrown() != null) {
                StringWriter w = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(w));
                line.append('\n').append(w);
            }
            lines.add(line.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private static final List<Level> previous = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        Logger.getLogger("").addHandler(CAPTURE);
        for (String name : LOGGERS) {
            previous.add(Logger.getLogger(name).getLevel());
            Logger.getLogger(name).setLevel(Level.FINE);
        }
        sim = Simulators.startTrusted(Simulators.issuingTokens()
                .tenants(TestTenants.all())
                .mspApp(MSP_CLIENT_ID, MSP_SECRET)
                .app(AppRegistration.builder(CERT_APP).homeTenant(F1).certificate(CERT.certificate())
                        .federatedCredential(CLUSTER.issuer(), SUBJECT).build())
                .trustedIssuer(CLUSTER.issuer(), CLUSTER.publicKey())
                .consent(EMPTY, CERT_APP, PermissionTable.toGrant()));
    }

    @AfterAll
    static void stop() {
        Logger.getLogger("").removeHandler(CAPTURE);
        for (int i = 0; i < LOGGERS.length; i++) {
            Logger.getLogger(LOGGERS[i]).setLevel(previous.get(i));
        }
        sim.close();
    }

    private static CredentialSet set(String name, String clientId, String secret, String secretFile, String cert,
                                     String password, String tokenFile) {
        return new CredentialSet(name, Optional.of(clientId), Optional.ofNullable(secret), Optional.ofNullable(secretFile),
                Optional.ofNullable(cert), Optional.ofNullable(password), Optional.ofNullable(tokenFile), sim.authorityUrl());
    }

    @Test
    void noSecretTokenOrAssertionAppearsInAnyLogLineErrorOrEvent() throws Exception {
        String wrongSecret = "wrong-secret-" + UUID.randomUUID();
        String rotatedSecret = "rotated-secret-" + UUID.randomUUID();
        Path secretFile = Files.writeString(dir.resolve("secret"), MSP_SECRET + "\n");
        Path pem = CERT.writePem(dir.resolve("cert.pem"));
        Path pfx = CERT.writePfx(dir.resolve("cert.pfx"), PFX_PASSWORD);
        Path badPem = SelfSignedCertificate.create("CN=unregistered").writePem(dir.resolve("bad.pem"));
        Path token = CLUSTER.writeToken(dir.resolve("token"), SUBJECT);
        Path badToken = CLUSTER.writeToken(dir.resolve("bad-token"), ServiceAccountTokenIssuer.subject("x", "y"));
        ScannerSettings settings = Simulators.settings(sim).withClientSecret(MSP_CLIENT_ID, MSP_SECRET, sim.authorityUrl());
        GraphClientFactory factory = new GraphClientFactory(settings, CredentialSets.of(settings,
                set("wrong", MSP_CLIENT_ID, wrongSecret, null, null, null, null),
                set("file", MSP_CLIENT_ID, null, secretFile.toString(), null, null, null),
                set("pem", CERT_APP, null, null, pem.toString(), null, null),
                set("pfx", CERT_APP, null, null, pfx.toString(), PFX_PASSWORD, null),
                set("bad-pem", CERT_APP, null, null, badPem.toString(), null, null),
                set("federated", CERT_APP, null, null, null, null, token.toString()),
                set("bad-federated", CERT_APP, null, null, null, null, badToken.toString())));
        TenantScanner scanner = new TenantScanner(factory, Clock.systemUTC());
        sim.admin().setGrantedPermissions(F2, Set.of("Directory.Read.All"));

        List<TenantScan> scans = new ArrayList<>();
        scans.add(scanner.scan(EMPTY, null, null));
        scans.add(scanner.scan(EMPTY, null, "wrong"));
        scans.add(scanner.scan(EMPTY, null, "file"));
        Files.writeString(secretFile, rotatedSecret + "\n");
        scans.add(scanner.scan(EMPTY, null, "file"));
        scans.add(scanner.scan(EMPTY, null, "pem"));
        scans.add(scanner.scan(EMPTY, null, "pfx"));
        scans.add(scanner.scan(EMPTY, null, "bad-pem"));
        scans.add(scanner.scan(EMPTY, null, "federated"));
        scans.add(scanner.scan(EMPTY, null, "bad-federated"));
        scans.add(scanner.scan(F1, null, "pem"));           // the certificate app is not consented in F1... home tenant: no roles
        scans.add(scanner.scan(TestTenants.F3, null, "pem")); // ...nor present in F3: no consent
        scans.add(scanner.scan(F2, null, null));            // a required permission missing
        List<String> accessTokens = List.of(factory.token(EMPTY, null), factory.token(EMPTY, "pem"),
                factory.token(EMPTY, "federated"));

        assertThat(scans).extracting(s -> s.access().status()).contains(AccessStatus.OK,
                AccessStatus.CREDENTIALS_REJECTED, AccessStatus.NO_CONSENT, AccessStatus.MISSING_PERMISSIONS);
        List<String> secrets = new ArrayList<>(List.of(MSP_SECRET, wrongSecret, rotatedSecret, PFX_PASSWORD,
                Files.readString(token).strip(), Files.readString(badToken).strip()));
        secrets.addAll(accessTokens);
        // a line of the private key's base64 body
        secrets.add(CERT.privateKeyPem().lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow());
        List<String> texts = new ArrayList<>(lines);
        for (TenantScan s : scans) {
            texts.add(String.valueOf(s.error()));
            texts.add(EventCodec.get().encode(EventEnvelope.wrap(ScanEvents.completed(UUID.randomUUID(), null,
                    s.tenantId(), s), Instant.now())));
        }

        assertThat(lines).as("log lines were captured (azure-identity logs every refused token request)")
                .anyMatch(l -> l.contains("AADSTS7000215"));
        for (String text : texts) {
            for (String secret : secrets) {
                assertThat(text).as("no secret in: %s", abbreviated(text)).doesNotContain(secret);
            }
            assertThat(JWT.matcher(text).find()).as("nothing shaped like a JWT in: %s", abbreviated(text)).isFalse();
        }
    }

    private static String abbreviated(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
