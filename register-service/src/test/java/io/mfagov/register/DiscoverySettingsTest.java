package io.mfagov.register;

import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.model.events.NameSource;
import io.mfagov.register.service.Discoveries;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static io.mfagov.register.RegisterTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * The discovery settings (issue 16) in a register booted with other values: no partner tenant (discovery off: 409
 * naming the setting, the scheduler requests nothing), new customers registered enabled with a given credentialRef.
 */
@QuarkusTest
@TestProfile(DiscoverySettingsTest.OtherSettings.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(TestTokens.class)
class DiscoverySettingsTest {

    public static class OtherSettings implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("register.discovery.partner-tenant-id", "",
                    "register.discovery.enable-new-tenants", "true",
                    "register.discovery.credential-ref", "customers-cert");
        }
    }

    @Inject
    Discoveries discoveries;

    @Test
    void withoutAPartnerTenantDiscoveryIsAConflictNamingTheSetting() {
        admin().post("/api/v1/discovery").then().statusCode(409)
                .contentType(containsString("application/problem+json"))
                .body("detail", containsString("register.discovery.partner-tenant-id"));
        assertThat(discoveries.requestIfDue(Instant.now().plusSeconds(86_400 * 30))).isNull();
    }

    @Test
    void aNewCustomerIsRegisteredEnabledWithTheConfiguredCredentialRefWhenSoConfigured() {
        String partner = newTenant();
        String customer = newTenant();
        send(DiscoveryTest.customer(UUID.randomUUID(), null, partner, customer, "Woodgrove Bank", NameSource.ORGANIZATION,
                Instant.now()));

        JsonPath t = DiscoveryTest.tenantWhen(customer, j -> true);
        assertThat(t.getBoolean("enabled")).isTrue();
        assertThat(t.getBoolean("discovered")).isTrue();
        assertThat(t.getString("credentialRef")).isEqualTo("customers-cert");
        assertThat(alertsSoFar(customer)).singleElement().satisfies(a -> assertThat(a.subject())
                .contains("Woodgrove Bank").contains("registered, scanned"));
    }
}
