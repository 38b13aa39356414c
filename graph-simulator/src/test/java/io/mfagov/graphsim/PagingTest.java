package io.mfagov.graphsim;

import com.fasterxml.jackson.databind.JsonNode;
import io.mfagov.graphsim.model.TenantFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Paging: absolute nextLinks to the simulator, every item exactly once, $top limits as Graph. */
class PagingTest {

    static final String TENANT = "9a000000-0000-4000-8000-000000000001";
    static final int USERS = 2345;
    static GraphSimulator sim;
    static String bigGroup;
    static String cycleA;

    @BeforeAll
    static void start() {
        TenantFixture f = new TenantFixture();
        f.tenantId = TENANT;
        f.displayName = "Paging Inc";
        f.domain = "paging.onmicrosoft.com";
        f.app = new TenantFixture.SimulatorApp("9a000000-0000-4000-8000-00000000a001", "sim-secret-paging");
        for (int i = 0; i < USERS; i++) {
            TenantFixture.UserFixture u = new TenantFixture.UserFixture();
            u.id = String.format("9a000000-0000-4000-8000-%012d", 1000 + i);
            u.userPrincipalName = "user" + i + "@paging.onmicrosoft.com";
            u.displayName = "User " + i;
            f.users.add(u);
        }
        // nested: big = {g1, g2, 3 users}; g1 = users 0..1199; g2 = users 1000..2344 + g1 (overlap + repeated nesting)
        TenantFixture.GroupFixture g1 = group("9a000000-0000-4000-8000-000000000001", "G1");
        TenantFixture.GroupFixture g2 = group("9a000000-0000-4000-8000-000000000002", "G2");
        TenantFixture.GroupFixture big = group("9a000000-0000-4000-8000-000000000003", "Big");
        for (int i = 0; i < 1200; i++) {
            g1.members.add(f.users.get(i).id);
        }
        for (int i = 1000; i < USERS; i++) {
            g2.members.add(f.users.get(i).id);
        }
        g2.members.add(g1.id);
        big.members.add(g1.id);
        big.members.add(g2.id);
        big.members.add(f.users.get(0).id);
        big.members.add(f.users.get(5).id);
        big.members.add("9a000000-0000-4000-8000-0000000dead0"); // dangling member id
        TenantFixture.GroupFixture a = group("9a000000-0000-4000-8000-00000000000a", "Cycle A");
        TenantFixture.GroupFixture b = group("9a000000-0000-4000-8000-00000000000b", "Cycle B");
        a.members.add(b.id);
        a.members.add(f.users.get(1).id);
        b.members.add(a.id);
        b.members.add(f.users.get(2).id);
        f.groups.addAll(List.of(g1, g2, big, a, b));
        bigGroup = big.id;
        cycleA = a.id;
        sim = GraphSimulator.start(Http.config().tenant(f).noLimits().build());
    }

    static TenantFixture.GroupFixture group(String id, String name) {
        TenantFixture.GroupFixture g = new TenantFixture.GroupFixture();
        g.id = id;
        g.displayName = name;
        return g;
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    /** Follows nextLinks verbatim, collecting ids; fails on a repeated link. */
    static List<String> collect(String firstUrl) {
        List<String> ids = new ArrayList<>();
        Set<String> links = new HashSet<>();
        String url = firstUrl;
        while (url != null) {
            assertThat(links.add(url)).as("nextLink loop").isTrue();
            Http.Res r = Http.get(url, sim.staticToken(TENANT));
            assertThat(r.status()).as(url + " → " + r.body()).isEqualTo(200);
            JsonNode body = r.json();
            body.get("value").forEach(v -> ids.add(v.get("id").asText()));
            JsonNode next = body.get("@odata.nextLink");
            url = next == null ? null : next.asText();
            if (url != null) {
                assertThat(url).startsWith(sim.graphBaseUrl() + "/");
            }
        }
        return ids;
    }

    @Test
    void nextLinksReturnEveryUserExactlyOnce() {
        List<String> ids = collect(sim.graphBaseUrl() + "/users?$top=999&$select=id,userPrincipalName");
        assertThat(ids).hasSize(USERS).doesNotHaveDuplicates();
        List<String> small = collect(sim.graphBaseUrl() + "/users?$top=37");
        assertThat(small).containsExactlyElementsOf(ids);
        // default page size is 100
        JsonNode first = Http.get(sim, TENANT, "/users").json();
        assertThat(first.get("value")).hasSize(100);
        assertThat(first.get("@odata.nextLink").asText()).contains("$skiptoken=");
    }

    @Test
    void nextLinksKeepTheFilterAndSelect() {
        List<String> ids = collect(sim.graphBaseUrl() + "/users?$filter=startswith(displayName,'User%201')&$select=id,displayName&$top=50");
        // "User 1", "User 10".."User 19", "User 100".."User 199", "User 1000".."User 1999"
        assertThat(ids).hasSize(1 + 10 + 100 + 1000).doesNotHaveDuplicates();
        JsonNode page = Http.get(sim, TENANT, "/users?$filter=startswith(displayName,'User%201')&$select=id,displayName&$top=50").json();
        assertThat(Shapes.keys(page.get("value").get(0))).containsExactlyInAnyOrder("id", "displayName");
    }

    @Test
    void transitiveMembersResolveNestingOnceAndPageEveryMemberExactlyOnce() {
        List<String> ids = collect(sim.graphBaseUrl() + "/groups/" + bigGroup + "/transitiveMembers/microsoft.graph.user?$top=999");
        assertThat(ids).hasSize(USERS).doesNotHaveDuplicates();
        List<String> all = collect(sim.graphBaseUrl() + "/groups/" + bigGroup + "/transitiveMembers?$top=500");
        assertThat(all).hasSize(USERS + 2).doesNotHaveDuplicates(); // + the nested groups G1 and G2
    }

    @Test
    void groupCyclesAreSafe() {
        List<String> ids = collect(sim.graphBaseUrl() + "/groups/" + cycleA + "/transitiveMembers");
        assertThat(ids).hasSize(3).doesNotHaveDuplicates(); // B, user1, user2 (A itself is not its own member)
    }

    @Test
    void topLimitsAreGraphs() {
        assertThat(Http.get(sim, TENANT, "/users?$top=999").status()).isEqualTo(200);
        Http.Res tooBig = Http.get(sim, TENANT, "/users?$top=1000");
        assertThat(tooBig.status()).isEqualTo(400);
        assertThat(tooBig.json().at("/error/message").asText())
                .isEqualTo("Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.");
        assertThat(Http.get(sim, TENANT, "/users?$top=0").status()).isEqualTo(400);
        assertThat(Http.get(sim, TENANT, "/users?$skiptoken=garbage").status()).isEqualTo(400);
    }

    @Test
    void signInsPageByAThousand() {
        // the fixture has no sign-ins: an empty page without nextLink
        JsonNode s = Http.get(sim, TENANT, "/auditLogs/signIns").json();
        assertThat(s.get("value")).isEmpty();
        assertThat(s.has("@odata.nextLink")).isFalse();
        assertThat(Http.get(sim, TENANT, "/auditLogs/signIns?$top=1001").status()).isEqualTo(400);
    }
}
