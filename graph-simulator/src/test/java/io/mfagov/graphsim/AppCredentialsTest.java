package io.mfagov.graphsim;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.ClientAssertionCredentialBuilder;
import com.azure.identity.ClientCertificateCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.graphsim.model.AppRegistration;
import io.mfagov.graphsim.testing.SelfSignedCertificate;
import io.mfagov.graphsim.testing.ServiceAccountTokenIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static io.mfagov.graphsim.DemoTenants.MESSY;
import static io.mfagov.graphsim.DemoTenants.NO_MFA;
import static io.mfagov.graphsim.DemoTenants.SECURITY_DEFAULTS;
import static io.mfagov.graphsim.DemoTenants.WELL_RUN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * App registrations with secrets, certificates and federated identity credentials, consent per tenant, and the
 * client-assertion flows — through the real azure-identity credentials (secret, PEM certificate, client assertion)
 * against the simulator's token authority, and Entra's AADSTS errors for each way a credential is wrong.
 */
class AppCredentialsTest {

    static final String APP = "7d0c1f3e-2b4a-4c6d-8e9f-a1b2c3d4e5f6";
    static final String SECRET = "sim-secret-current-" + UUID.randomUUID();
    static final String OLD_SECRET = "sim-secret-expired-" + UUID.randomUUID();
    static final String SUBJECT = ServiceAccountTokenIssuer.subject("mfagov", "scanner");
    static final Set<String> CONSENTED = Set.of("Policy.Read.All", "Directory.Read.All");
    static final String SCOPE = "https://graph.microsoft.com/.default";

    static GraphSimulator sim;
    static SelfSignedCertificate cert;
    static ServiceAccountTokenIssuer cluster;
    static Path pem;

    @BeforeAll
    static void start() throws Exception {
        cert = SelfSignedCertificate.create("CN=mfagov-scanner");
        cluster = ServiceAccountTokenIssuer.create("https://oidc.cluster.example/mfagov-test/");
        Instant now = Instant.now();
        sim = GraphSimulator.start(Http.config().demoTenants().clock(new ManualClock(now))
                .app(AppRegistration.builder(APP).displayName("MSP scanner").homeTenant(WELL_RUN)
                        .secret(SECRET, now.plus(Duration.ofDays(30)))
                        .secret(OLD_SECRET, now.minus(Duration.ofDays(1)))
                        .certificate(cert.certificate())
                        .federatedCredential(cluster.issuer(), SUBJECT)
                        .build())
                .trustedIssuer(cluster.issuer(), cluster.publicKey())
                .consent(MESSY, APP, CONSENTED)
                .build());
        Path dir = Files.createDirectories(Path.of("target", "app-credentials-test"));
        pem = cert.writePem(dir.resolve("scanner.pem"));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static AccessToken token(TokenCredential c) {
        return c.getTokenSync(new TokenRequestContext().addScopes(SCOPE));
    }

    static JsonNode claims(String jwt) {
        try {
            return Http.M.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Set<String> roles(String jwt) {
        Set<String> r = new TreeSet<>();
        claims(jwt).path("roles").forEach(n -> r.add(n.asText()));
        return r;
    }

    static TokenCredential secretCredential(String tenant, String clientId, String secret) {
        return new ClientSecretCredentialBuilder().tenantId(tenant).clientId(clientId).clientSecret(secret)
                .authorityHost(sim.authorityUrl()).disableInstanceDiscovery().build();
    }

    static TokenCredential certificateCredential(String tenant, String clientId, Path pemFile) {
        return new ClientCertificateCredentialBuilder().tenantId(tenant).clientId(clientId).pemCertificate(pemFile.toString())
                .authorityHost(sim.authorityUrl()).disableInstanceDiscovery().build();
    }

    // ---- client secrets ------------------------------------------------------------------------------------------

    @Test
    void clientSecretCredentialGetsATokenListingTheConsentedPermissions() {
        AccessToken t = token(secretCredential(MESSY, APP, SECRET));
        JsonNode c = claims(t.getToken());
        assertThat(c.get("tid").asText()).isEqualTo(MESSY);
        assertThat(c.get("appid").asText()).isEqualTo(APP);
        assertThat(c.get("appidacr").asText()).isEqualTo("1");
        assertThat(roles(t.getToken())).isEqualTo(new TreeSet<>(CONSENTED));
        Http.Res org = Http.get(sim.graphBaseUrl() + "/organization", t.getToken());
        assertThat(org.status()).isEqualTo(200);
        assertThat(org.json().at("/value/0/id").asText()).isEqualTo(MESSY);
    }

    @Test
    void expiredSecretIsRefusedWithAadsts7000222AndAWrongOneWith7000215() {
        assertThatThrownBy(() -> token(secretCredential(MESSY, APP, OLD_SECRET))).hasMessageContaining("AADSTS7000222");
        Http.Res expired = form(MESSY, "client_id=" + APP + "&client_secret=" + enc(OLD_SECRET));
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().get("error").asText()).isEqualTo("invalid_client");
        assertThat(expired.json().get("error_description").asText())
                .startsWith("AADSTS7000222: The provided client secret keys for app '" + APP + "' are expired.");
        assertThat(expired.body()).doesNotContain(OLD_SECRET);

        assertThatThrownBy(() -> token(secretCredential(MESSY, APP, "not-a-secret-of-this-app"))).hasMessageContaining("AADSTS7000215");
    }

    @Test
    void anAppWithoutConsentInATenantIsNotFoundThereUntilConsentedAndAfterRevocation() {
        TokenCredential c = secretCredential(NO_MFA, APP, SECRET);
        assertThatThrownBy(() -> token(c)).hasMessageContaining("AADSTS700016");
        Http.Res r = form(NO_MFA, "client_id=" + APP + "&client_secret=" + enc(SECRET));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("unauthorized_client");
        assertThat(r.json().get("error_description").asText())
                .startsWith("AADSTS700016: Application with identifier '" + APP + "' was not found in the directory 'Woodgrove Travel'.");

        sim.admin().consent(NO_MFA, APP, Set.of("Policy.Read.All"));
        assertThat(roles(token(secretCredential(NO_MFA, APP, SECRET)).getToken())).containsExactly("Policy.Read.All");

        sim.admin().revokeConsent(NO_MFA, APP);
        assertThatThrownBy(() -> token(secretCredential(NO_MFA, APP, SECRET))).hasMessageContaining("AADSTS700016");
    }

    @Test
    void theHomeTenantKnowsTheAppButGrantsNoPermissionWithoutConsent() {
        AccessToken t = token(secretCredential(WELL_RUN, APP, SECRET));
        assertThat(claims(t.getToken()).get("tid").asText()).isEqualTo(WELL_RUN);
        assertThat(roles(t.getToken())).isEmpty();
        // the tenant's own simulated app is untouched
        assertThat(roles(token(secretCredential(WELL_RUN, sim.credentials(WELL_RUN).clientId(),
                sim.credentials(WELL_RUN).simulatorClientSecret())).getToken())).contains("Policy.Read.All");
    }

    // ---- certificates --------------------------------------------------------------------------------------------

    @Test
    void clientCertificateCredentialWithAPemFileGetsAToken() {
        AccessToken t = token(certificateCredential(MESSY, APP, pem));
        JsonNode c = claims(t.getToken());
        assertThat(c.get("tid").asText()).isEqualTo(MESSY);
        assertThat(c.get("appidacr").asText()).isEqualTo("2");
        assertThat(roles(t.getToken())).isEqualTo(new TreeSet<>(CONSENTED));
        // with the certificate chain in the assertion (x5c) as well
        TokenCredential withChain = new ClientCertificateCredentialBuilder().tenantId(MESSY).clientId(APP)
                .pemCertificate(pem.toString()).sendCertificateChain(true)
                .authorityHost(sim.authorityUrl()).disableInstanceDiscovery().build();
        assertThat(token(withChain).getToken()).isNotBlank();
        // and from a PFX
        Path pfx = cert.writePfx(pem.resolveSibling("scanner.pfx"), "sim-pfx-password");
        TokenCredential fromPfx = new ClientCertificateCredentialBuilder().tenantId(MESSY).clientId(APP)
                .pfxCertificate(pfx.toString()).clientCertificatePassword("sim-pfx-password")
                .authorityHost(sim.authorityUrl()).disableInstanceDiscovery().build();
        assertThat(token(fromPfx).getToken()).isNotBlank();
    }

    @Test
    void aCertificateNotUploadedToTheAppIsRefusedWithAadsts700027NamingItsThumbprint() throws Exception {
        SelfSignedCertificate other = SelfSignedCertificate.create("CN=not-uploaded");
        Path otherPem = other.writePem(pem.resolveSibling("other.pem"));
        assertThatThrownBy(() -> token(certificateCredential(MESSY, APP, otherPem))).hasMessageContaining("AADSTS700027");
        Http.Res r = assertion(MESSY, APP, certAssertion(other.privateKey(), "RS256", "x5t", other.x5t(), APP, sim.tokenUrl(MESSY),
                Instant.now()));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("error_description").asText())
                .startsWith("AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application.")
                .contains("Thumbprint of key used by client: '" + other.thumbprint() + "'");
    }

    @Test
    void aCertificateOnlyAppRefusesSecretsAndRotatesItsCertificateWithoutARestart() {
        String certOnly = "0c9b8a7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d";
        SelfSignedCertificate first = SelfSignedCertificate.create("CN=rotating-1");
        sim.admin().registerApp(AppRegistration.builder(certOnly).homeTenant(WELL_RUN).certificate(first.certificate()).build());
        sim.admin().consent(SECURITY_DEFAULTS, certOnly, Set.of("Policy.Read.All"));
        Path firstPem = first.writePem(pem.resolveSibling("rotating-1.pem"));
        assertThat(token(certificateCredential(SECURITY_DEFAULTS, certOnly, firstPem)).getToken()).isNotBlank();
        assertThatThrownBy(() -> token(secretCredential(SECURITY_DEFAULTS, certOnly, "any-secret"))).hasMessageContaining("AADSTS7000215");
        Http.Res none = form(SECURITY_DEFAULTS, "client_id=" + certOnly);
        assertThat(none.json().get("error_codes").get(0).asInt()).isEqualTo(7000216);

        SelfSignedCertificate second = SelfSignedCertificate.create("CN=rotating-2");
        sim.admin().addCertificate(certOnly, second.certificate()).removeCertificate(certOnly, first.certificate());
        Path secondPem = second.writePem(pem.resolveSibling("rotating-2.pem"));
        assertThat(token(certificateCredential(SECURITY_DEFAULTS, certOnly, secondPem)).getToken()).isNotBlank();
        assertThatThrownBy(() -> token(certificateCredential(SECURITY_DEFAULTS, certOnly, firstPem))).hasMessageContaining("AADSTS700027");
    }

    @Test
    void certificateAssertionsAreCheckedAsEntraDoes() throws Exception {
        PrivateKey key = cert.privateKey();
        Instant now = Instant.now();
        String aud = sim.tokenUrl(MESSY);
        // PS256 with x5t#S256 (what Microsoft's documentation now describes) is accepted, as is the domain in the audience
        assertThat(assertion(MESSY, APP, certAssertion(key, "PS256", "x5t#S256", cert.x5tS256(), APP, aud, now)).status()).isEqualTo(200);
        assertThat(assertion(MESSY, APP, certAssertion(key, "RS256", "x5t", cert.x5t(), APP,
                sim.authorityUrl() + "/fabrikamlogistics.onmicrosoft.com/oauth2/v2.0/token", now)).status()).isEqualTo(200);
        // a registered thumbprint, but signed by another key
        Http.Res forged = assertion(MESSY, APP, certAssertion(SelfSignedCertificate.create().privateKey(), "RS256", "x5t", cert.x5t(),
                APP, aud, now));
        assertThat(forged.json().get("error_description").asText())
                .startsWith("AADSTS700027: Client assertion contains an invalid signature. [Reason - The provided signature value did not match");
        // iss/sub not the client id
        assertThat(code(assertion(MESSY, APP, certAssertion(key, "RS256", "x5t", cert.x5t(), "someone-else", aud, now)))).isEqualTo(700021);
        // audience of another tenant's token endpoint
        assertThat(code(assertion(MESSY, APP, certAssertion(key, "RS256", "x5t", cert.x5t(), APP, sim.tokenUrl(WELL_RUN), now))))
                .isEqualTo(700023);
        // expired
        Http.Res old = assertion(MESSY, APP, certAssertion(key, "RS256", "x5t", cert.x5t(), APP, aud, now.minus(Duration.ofHours(1))));
        assertThat(old.json().get("error_description").asText()).startsWith("AADSTS700024: Client assertion is not within its valid time range.");
        // not a JWT
        assertThat(code(assertion(MESSY, APP, "not-a-jwt"))).isEqualTo(50027);
    }

    // ---- workload identity federation ----------------------------------------------------------------------------

    @Test
    void clientAssertionCredentialExchangesAProjectedServiceAccountToken() {
        Path tokenFile = cluster.writeToken(pem.resolveSibling("sa-token"), SUBJECT);
        TokenCredential c = new ClientAssertionCredentialBuilder().tenantId(MESSY).clientId(APP)
                .clientAssertion(() -> read(tokenFile))
                .authorityHost(sim.authorityUrl()).disableInstanceDiscovery().build();
        AccessToken t = token(c);
        assertThat(claims(t.getToken()).get("appidacr").asText()).isEqualTo("2");
        assertThat(roles(t.getToken())).isEqualTo(new TreeSet<>(CONSENTED));
        assertThat(Http.get(sim.graphBaseUrl() + "/organization", t.getToken()).status()).isEqualTo(200);
    }

    @Test
    void federatedAssertionsThatMatchNoFederatedCredentialAreRefusedWithEntrasCodes() {
        ServiceAccountTokenIssuer otherCluster = ServiceAccountTokenIssuer.create("https://oidc.other-cluster.example/");
        Http.Res issuer = assertion(MESSY, APP, otherCluster.mint(SUBJECT));
        assertThat(issuer.json().get("error_description").asText()).startsWith("AADSTS700211: No matching federated identity record found "
                + "for presented assertion issuer 'https://oidc.other-cluster.example/'.");
        Http.Res subject = assertion(MESSY, APP, cluster.mint(ServiceAccountTokenIssuer.subject("default", "default")));
        assertThat(subject.json().get("error_description").asText()).startsWith("AADSTS700213: No matching federated identity record found "
                + "for presented assertion subject 'system:serviceaccount:default:default'.");
        Http.Res audience = assertion(MESSY, APP, cluster.mint(SUBJECT, "api://not-entra", Instant.now(), Duration.ofHours(1)));
        assertThat(code(audience)).isEqualTo(700212);
        // the right iss/sub/aud, but not signed by the trusted issuer's key
        ServiceAccountTokenIssuer impostor = ServiceAccountTokenIssuer.create(cluster.issuer());
        assertThat(code(assertion(MESSY, APP, impostor.mint(SUBJECT)))).isEqualTo(700027);
        Http.Res expired = assertion(MESSY, APP, cluster.mint(SUBJECT, AppRegistration.DEFAULT_FEDERATED_AUDIENCE,
                Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1)));
        assertThat(code(expired)).isEqualTo(700024);
        // a valid federated token does not make an unconsented tenant accept the app
        assertThat(code(assertion(NO_MFA, "0a1b2c3d-0000-4000-8000-00000000dead", cluster.mint(SUBJECT)))).isEqualTo(700016);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static int code(Http.Res r) {
        return r.json().get("error_codes").get(0).asInt();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static Http.Res form(String tenant, String params) {
        String body = "grant_type=client_credentials&scope=" + enc(SCOPE) + "&" + params;
        return Http.send(HttpRequest.newBuilder(URI.create(sim.tokenUrl(tenant)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)), null);
    }

    static Http.Res assertion(String tenant, String clientId, String jwt) {
        return form(tenant, "client_id=" + clientId + "&client_assertion_type="
                + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") + "&client_assertion=" + enc(jwt));
    }

    /** A certificate client assertion as Microsoft documents it (header alg/typ/thumbprint; aud, iss, sub, jti, nbf, exp). */
    static String certAssertion(PrivateKey key, String alg, String thumbHeader, String thumb, String issSub, String aud, Instant at)
            throws Exception {
        ObjectNode h = Http.M.createObjectNode().put("alg", alg).put("typ", "JWT").put(thumbHeader, thumb);
        ObjectNode p = Http.M.createObjectNode().put("aud", aud).put("iss", issSub).put("sub", issSub)
                .put("jti", UUID.randomUUID().toString()).put("nbf", at.getEpochSecond())
                .put("exp", at.plus(Duration.ofMinutes(10)).getEpochSecond());
        Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
        String input = b.encodeToString(Http.M.writeValueAsBytes(h)) + "." + b.encodeToString(Http.M.writeValueAsBytes(p));
        Signature s;
        if (alg.equals("PS256")) {
            s = Signature.getInstance("RSASSA-PSS");
            s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        } else {
            s = Signature.getInstance("SHA256withRSA");
        }
        s.initSign(key);
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b.encodeToString(s.sign());
    }

}
