package io.mfagov.graphsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.graphsim.gen.TenantGenerator;
import io.mfagov.graphsim.internal.Json;
import io.mfagov.graphsim.model.BuiltInRoles;
import io.mfagov.graphsim.model.Group;
import io.mfagov.graphsim.model.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator is deterministic and has the spread issue 3 asks for. */
class GeneratorTest {

    static List<Tenant> tenants;

    @BeforeAll
    static void generate() {
        tenants = TenantGenerator.generate(7, 600);
    }

    @Test
    void sameSeedSameTenants() {
        List<Tenant> again = TenantGenerator.generate(7, 20);
        for (int i = 0; i < 20; i++) {
            Tenant a = tenants.get(i);
            Tenant b = again.get(i);
            assertThat(b.id()).isEqualTo(a.id());
            assertThat(b.clientId()).isEqualTo(a.clientId());
            assertThat(b.simulatorClientSecret()).isEqualTo(a.simulatorClientSecret()).startsWith("sim-secret-");
            assertThat(b.users()).isEqualTo(a.users());
            assertThat(b.policies()).isEqualTo(a.policies());
            assertThat(b.signIns().size()).isEqualTo(a.signIns().size());
            if (a.signIns().size() > 0) {
                assertThat(b.signIns().get(a.signIns().size() - 1)).isEqualTo(a.signIns().get(a.signIns().size() - 1));
            }
        }
        assertThat(Json.string(Json.MAPPER.valueToTree(TenantGenerator.fixture(7, 3))))
                .isEqualTo(Json.string(Json.MAPPER.valueToTree(TenantGenerator.fixture(7, 3))));
        assertThat(TenantGenerator.generate(8, 1).get(0).id()).isNotEqualTo(tenants.get(0).id());
        assertThat(tenants.stream().map(Tenant::id).distinct().count()).isEqualTo(600);
    }

    @Test
    void spreadIsRealistic() {
        List<Integer> policyCounts = new ArrayList<>();
        int securityDefaults = 0;
        int breakGlass = 0;
        int reportOnly = 0;
        int disabled = 0;
        int enabled = 0;
        int withDeletedExclusion = 0;
        int withRoleExclusion = 0;
        int withGuestExclusion = 0;
        int withAppExclusion = 0;
        int withLocationExclusion = 0;
        int maxDirectUserExclusions = 0;
        int maxGroupExclusions = 0;
        int maxExcludedGroupMembers = 0;
        for (Tenant t : tenants) {
            List<ObjectNode> ps = t.policies();
            if (t.securityDefaultsEnabled()) {
                securityDefaults++;
                assertThat(ps).isEmpty();
                continue;
            }
            policyCounts.add(ps.size());
            if (t.users().stream().anyMatch(u -> u.userPrincipalName().startsWith("breakglass0"))) {
                breakGlass++;
            }
            boolean deleted = false;
            boolean role = false;
            boolean guest = false;
            boolean app = false;
            boolean location = false;
            for (ObjectNode p : ps) {
                switch (p.get("state").asText()) {
                    case "enabled" -> enabled++;
                    case "disabled" -> disabled++;
                    default -> reportOnly++;
                }
                JsonNode users = p.at("/conditions/users");
                int direct = 0;
                for (JsonNode id : users.get("excludeUsers")) {
                    if (id.asText().equals("GuestsOrExternalUsers")) {
                        guest = true;
                    } else if (t.object(id.asText()) == null) {
                        deleted = true;
                    } else if (!t.user(id.asText()).userPrincipalName().startsWith("breakglass0")) {
                        direct++;
                    }
                }
                maxDirectUserExclusions = Math.max(maxDirectUserExclusions, direct);
                maxGroupExclusions = Math.max(maxGroupExclusions, users.get("excludeGroups").size());
                for (JsonNode g : users.get("excludeGroups")) {
                    maxExcludedGroupMembers = Math.max(maxExcludedGroupMembers, t.transitiveMembersOf(g.asText()).size());
                }
                role |= users.get("excludeRoles").toString().contains(BuiltInRoles.DIRECTORY_SYNCHRONIZATION_ACCOUNTS);
                guest |= !users.get("excludeGuestsOrExternalUsers").isNull();
                app |= p.at("/conditions/applications/excludeApplications").size() > 0;
                location |= !p.at("/conditions/locations").isNull() && p.at("/conditions/locations/excludeLocations").size() > 0;
            }
            withDeletedExclusion += deleted ? 1 : 0;
            withRoleExclusion += role ? 1 : 0;
            withGuestExclusion += guest ? 1 : 0;
            withAppExclusion += app ? 1 : 0;
            withLocationExclusion += location ? 1 : 0;
        }
        Collections.sort(policyCounts);
        int median = policyCounts.get(policyCounts.size() / 2);
        int ca = policyCounts.size();
        int totalPolicies = enabled + disabled + reportOnly;
        assertThat(median).isBetween(22, 28);
        assertThat(securityDefaults).isBetween(60, 120);                 // ~15 %
        assertThat(breakGlass * 100 / ca).isBetween(70, 90);              // most
        assertThat(reportOnly * 100 / totalPolicies).isBetween(10, 20);
        assertThat(disabled * 100 / totalPolicies).isBetween(6, 14);
        assertThat(withDeletedExclusion * 100 / ca).isBetween(8, 30);
        assertThat(withRoleExclusion).isGreaterThan(ca / 2);
        assertThat(withGuestExclusion).isGreaterThan(ca / 2);
        assertThat(withAppExclusion).isGreaterThan(ca / 3);
        assertThat(withLocationExclusion).isGreaterThan(ca / 2);
        assertThat(maxDirectUserExclusions).isBetween(6, 10);
        assertThat(maxGroupExclusions).isBetween(4, 5);
        assertThat(maxExcludedGroupMembers).isGreaterThan(1000); // nested groups up to thousands of members
    }

    @Test
    void tenantSizesVaryFromTinyToThousands() {
        List<Integer> sizes = new ArrayList<>();
        tenants.forEach(t -> sizes.add(t.users().size()));
        Collections.sort(sizes);
        assertThat(sizes.get(0)).isLessThan(15);
        assertThat(sizes.get(sizes.size() / 2)).isBetween(25, 70);
        assertThat(sizes.get(sizes.size() - 1)).isGreaterThan(1500);
        // nesting: "All Staff" holds department groups
        Tenant big = tenants.stream().filter(t -> t.users().size() > 1500).findFirst().orElseThrow();
        Group allStaff = big.groups().stream().filter(g -> g.displayName().equals("All Staff")).findFirst().orElseThrow();
        assertThat(allStaff.members()).allMatch(id -> big.object(id) instanceof Group);
        assertThat(big.transitiveMembersOf(allStaff.id()).size()).isGreaterThan(1000);
    }
}
