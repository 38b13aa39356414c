package io.mfagov.graphsim;

import com.microsoft.graph.models.odataerrors.ODataError;
import io.mfagov.graphsim.model.TenantFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A tenant without Microsoft Entra ID P1/P2: the registration report and the sign-in logs are refused as Graph does. */
class PremiumLicenceTest {

    static final String FREE = "44444444-4444-4444-8444-000000000001";
    static GraphSimulator sim;

    @BeforeAll
    static void start() {
        TenantFixture f = new TenantFixture();
        f.tenantId = FREE;
        f.displayName = "Free Tier Ltd";
        f.domain = "free.onmicrosoft.com";
        f.premiumLicensed = false;
        f.app = new TenantFixture.SimulatorApp();
        f.app.clientId = "a1b2c3d4-0000-4000-8000-00000000c1d0";
        f.app.simulatorClientSecret = "sim-only-secret-value-123";
        TenantFixture.UserFixture u = new TenantFixture.UserFixture();
        u.id = "44444444-aaaa-4000-8000-000000000001";
        u.userPrincipalName = "someone@free.example";
        f.users.add(u);
        sim = GraphSimulator.start(Http.config().tenants(List.of(f)).noLimits().build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void registrationDetailsAnswer403NonPremiumThroughTheSdk() {
        ODataError e = catchThrowableOfType(ODataError.class, () -> SdkClients.graph(sim, FREE).reports()
                .authenticationMethods().userRegistrationDetails().get());
        assertThat(e.getResponseStatusCode()).isEqualTo(403);
        assertThat(e.getError().getCode()).isEqualTo("Authentication_RequestFromNonPremiumTenantOrB2CTenant");
    }

    @Test
    void signInLogsAnswer403NonPremiumInV1AndBeta() {
        Http.Res v1 = Http.get(sim, FREE, "/auditLogs/signIns");
        assertThat(v1.status()).isEqualTo(403);
        assertThat(v1.json().at("/error/code").asText()).isEqualTo("Authentication_RequestFromNonPremiumTenantOrB2CTenant");
        Http.Res beta = Http.get(sim.betaBaseUrl() + "/auditLogs/signIns", sim.staticToken(FREE));
        assertThat(beta.status()).isEqualTo(403);
    }

    @Test
    void theDirectoryStillAnswers() {
        assertThat(Http.get(sim, FREE, "/users").status()).isEqualTo(200);
    }
}
