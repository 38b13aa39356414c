package io.mfagov.graphsim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.graphsim.gen.TenantGenerator;
import io.mfagov.graphsim.model.BuiltInRoles;
import io.mfagov.graphsim.model.Tenant;
import io.mfagov.graphsim.model.TenantFixture;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fixture format round-trips, invalid fixtures are refused, the demo tenants tell their stories. */
class FixturesAndDemoTest {

    @Test
    void exportedGeneratedTenantsLoadBackAsTheSameTenants() throws Exception {
        Path dir = Path.of("target", "export-test");
        Main.main(new String[] {"--export", dir.toString(), "--tenants", "4", "--seed", "5"});
        assertThat(Files.list(dir).filter(p -> p.toString().endsWith(".json")).count()).isEqualTo(4);
        List<Tenant> loaded = Fixtures.build(Fixtures.readDirectory(dir));
        List<Tenant> generated = TenantGenerator.generate(5, 4);
        for (int i = 0; i < 4; i++) {
            assertThat(loaded.get(i).id()).isEqualTo(generated.get(i).id());
            assertThat(loaded.get(i).users()).isEqualTo(generated.get(i).users());
            assertThat(loaded.get(i).groups()).isEqualTo(generated.get(i).groups());
            assertThat(loaded.get(i).policies()).isEqualTo(generated.get(i).policies());
            assertThat(loaded.get(i).roleAssignments()).isEqualTo(generated.get(i).roleAssignments());
        }
    }

    @Test
    void invalidFixturesAreRefusedWithTheReason() {
        TenantFixture f = new TenantFixture();
        f.tenantId = "5a000000-0000-4000-8000-000000000001";
        assertThatThrownBy(() -> Tenant.fromFixture(f)).hasMessageContaining("app.clientId");
        f.app = new TenantFixture.SimulatorApp("5a000000-0000-4000-8000-00000000a001", "sim-secret-x");
        ObjectNode p = io.mfagov.graphsim.internal.Json.obj();
        p.put("id", "p1");
        p.put("state", "on");
        f.conditionalAccessPolicies.add(p);
        assertThatThrownBy(() -> Tenant.fromFixture(f)).hasMessageContaining("state must be one of");
        p.put("state", "enabled");
        p.putObject("conditions").putObject("users").putObject("excludeGuestsOrExternalUsers")
                .putArray("guestOrExternalUserTypes").add("internalGuest");
        assertThatThrownBy(() -> Tenant.fromFixture(f)).hasMessageContaining("comma-separated");
    }

    @Test
    void demoTenantsTellTheirStories() {
        List<Tenant> demo = Fixtures.build(Fixtures.demo());
        assertThat(demo).extracting(Tenant::id).containsExactlyElementsOf(DemoTenants.IDS);

        Tenant wellRun = demo.get(0);
        List<String> breakGlass = wellRun.users().stream().filter(u -> u.userPrincipalName().startsWith("breakglass"))
                .map(io.mfagov.graphsim.model.User::id).toList();
        assertThat(breakGlass).hasSize(2);
        for (ObjectNode p : wellRun.policies()) {
            assertThat(p.get("state").asText()).isEqualTo("enabled");
            List<String> excluded = Http.M.convertValue(p.at("/conditions/users/excludeUsers"), List.class);
            assertThat(excluded).containsExactlyInAnyOrderElementsOf(breakGlass);
            assertThat(p.at("/conditions/users/excludeGroups")).isEmpty();
        }

        Tenant messy = demo.get(1);
        List<ObjectNode> ps = messy.policies();
        assertThat(ps.get(0).get("state").asText()).isEqualTo("enabledForReportingButNotEnforced");
        assertThat(ps.get(0).at("/conditions/users/excludeUsers/0").asText()).isEqualTo("d2000000-0000-4000-8000-0000000dead1");
        assertThat(messy.object("d2000000-0000-4000-8000-0000000dead1")).isNull();
        String migration = messy.user("migration.admin@fabrikamlogistics.onmicrosoft.com").id();
        assertThat(ps.get(1).at("/conditions/users/excludeUsers").toString()).contains(migration);
        assertThat(messy.roleAssignments()).anyMatch(r -> r.principalId().equals(migration)
                && r.roleDefinitionId().equals(BuiltInRoles.GLOBAL_ADMINISTRATOR));
        String legacyGroup = ps.get(0).at("/conditions/users/excludeGroups/0").asText();
        assertThat(messy.group(legacyGroup).displayName()).isEqualTo("Legacy Scanner Exclusion");

        Tenant sd = demo.get(2);
        assertThat(sd.securityDefaultsEnabled()).isTrue();
        assertThat(sd.policies()).isEmpty();

        Tenant noMfa = demo.get(3);
        assertThat(noMfa.id()).isEqualTo(DemoTenants.NO_MFA);
        assertThat(noMfa.displayName()).isEqualTo("Woodgrove Travel");
        assertThat(noMfa.securityDefaultsEnabled()).isFalse();
        assertThat(noMfa.users()).hasSizeBetween(8, 15);
        assertThat(noMfa.groups()).hasSize(2);
        assertThat(noMfa.roleAssignments()).singleElement().satisfies(r -> {
            assertThat(r.roleDefinitionId()).isEqualTo(BuiltInRoles.GLOBAL_ADMINISTRATOR);
            assertThat(noMfa.user(r.principalId())).isNotNull();
            assertThat(r.tenantWide()).isTrue();
        });
        assertThat(noMfa.pimLicensed()).isFalse();
        // nothing enforces MFA: every MFA policy is report-only or disabled; the one enabled policy blocks legacy auth
        List<ObjectNode> policies = noMfa.policies();
        assertThat(policies).extracting(p -> p.get("state").asText())
                .containsExactly("enabled", "enabledForReportingButNotEnforced", "disabled");
        for (ObjectNode p : policies) {
            boolean mfa = p.at("/grantControls/builtInControls").toString().contains("\"mfa\"")
                    || !p.at("/grantControls/authenticationStrength").isNull();
            if (p.get("state").asText().equals("enabled")) {
                assertThat(mfa).as(p.get("displayName").asText()).isFalse();
                assertThat(p.at("/grantControls/builtInControls/0").asText()).isEqualTo("block");
                assertThat(p.at("/conditions/clientAppTypes")).extracting(n -> n.asText()).containsExactly("exchangeActiveSync", "other");
            } else {
                assertThat(mfa).as(p.get("displayName").asText()).isTrue();
            }
        }
    }

    @Test
    void theNoMfaDemoTenantAnswersOverHttp() {
        try (GraphSimulator sim = GraphSimulator.start(Http.config().demoTenants().noLimits().build())) {
            assertThat(sim.tenants().size()).isEqualTo(4);
            assertThat(Http.get(sim, DemoTenants.NO_MFA, "/policies/identitySecurityDefaultsEnforcementPolicy").json()
                    .get("isEnabled").asBoolean()).isFalse();
            com.fasterxml.jackson.databind.JsonNode policies = Http.get(sim, DemoTenants.NO_MFA, "/identity/conditionalAccess/policies").json();
            assertThat(policies.get("value")).hasSize(3).allSatisfy(p -> assertThat(Shapes.exactDifferences(
                    Http.example("ca-policies-list.json").get("value").get(0), p)).isEmpty());
            com.fasterxml.jackson.databind.JsonNode locations = Http.get(sim, DemoTenants.NO_MFA,
                    "/identity/conditionalAccess/namedLocations").json().get("value");
            assertThat(Shapes.exactDifferences(Http.example("namedLocations.json").at("/value/0"), locations.get(0))).isEmpty();
            assertThat(Shapes.supersetDifferences(Http.example("namedLocations.json").at("/value/1"), locations.get(1))).isEmpty();
            assertThat(Http.get(sim, DemoTenants.NO_MFA, "/roleManagement/directory/roleEligibilityScheduleInstances").json()
                    .at("/error/code").asText()).isEqualTo("AadPremiumLicenseRequired");
            assertThat(Http.get(sim, DemoTenants.NO_MFA, "/users?$filter=accountEnabled%20eq%20true&$select=id").json()
                    .get("value")).hasSize(10);
            TenantCredentials c = sim.credentials(DemoTenants.NO_MFA);
            assertThat(c.clientId()).isEqualTo("a11ce000-0000-4000-8000-00000000c004");
        }
    }
}
