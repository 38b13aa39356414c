package io.mfagov.scanner.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mfagov.scanner.graph.GraphClientFactory;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** Pure: which JSON paths of a policy differ, and what the write compares before writing. */
class PolicyDiffTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void equalPoliciesDifferNowhereWhateverTheirModifiedDateTimeAnnotationsAndListOrder() throws Exception {
        JsonNode a = json("""
            {"@odata.context":"a","id":"p","modifiedDateTime":"2026-11-01T08:00:00Z",
             "conditions":{"users":{"excludeUsers":["u1","u2"],"includeGroups":[]}}}""");
        JsonNode b = json("""
            {"id":"p","modifiedDateTime":"2026-11-02T08:00:00Z",
             "conditions":{"users":{"excludeUsers":["u2","u1"],"includeGroups":[],"excludeGroups":null}}}""");

        assertThat(PolicyDiff.diff(a, b)).isEmpty();
    }

    @Test
    void everyDifferingPathIsNamed() throws Exception {
        JsonNode a = json("""
            {"state":"enabled","conditions":{"users":{"excludeUsers":["u1"]},"platforms":null},
             "grantControls":{"operator":"OR","builtInControls":["mfa"]},
             "sessionControls":{"list":[{"a":1},{"a":2}]}}""");
        JsonNode b = json("""
            {"state":"disabled","conditions":{"users":{"excludeUsers":["u1","u9"]},"platforms":{"includePlatforms":["all"]}},
             "grantControls":{"operator":"OR","builtInControls":["mfa","compliantDevice"]},
             "sessionControls":{"list":[{"a":1},{"a":3}]}}""");

        assertThat(PolicyDiff.diff(a, b)).containsExactly("conditions.platforms", "conditions.users.excludeUsers",
                "grantControls.builtInControls", "sessionControls.list[1].a", "state");
    }

    @Test
    void theWriteSeesAChangedPolicyByItsModifiedDateTimeOrItsUsersObject() throws Exception {
        JsonNode users = json("{\"excludeUsers\":[\"u1\"]}");

        assertThat(RemediationService.changeSince("t1", users, "t1", json("{\"excludeUsers\":[\"u1\"]}"))).isNull();
        assertThat(RemediationService.changeSince("t1", users, "t2", users)).contains("modifiedDateTime t1 → t2");
        assertThat(RemediationService.changeSince("t1", users, "t1", json("{\"excludeUsers\":[\"u1\",\"u2\"]}")))
                .contains("conditions.users differs at excludeUsers");
        assertThat(RemediationService.changeSince(null, users, null, users)).as("never modified, unchanged").isNull();
        assertThat(RemediationService.changeSince(null, users, "t1", users)).contains("modifiedDateTime null → t1");
        assertThat(RemediationService.changeSince("t1", null, "t1", users)).contains("no expected conditions.users");
    }

    @Test
    void theTokensRolesClaimIsReadFromTheJwtPayloadAndAStaticTokenHasNone() {
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"tid\":\"t\",\"roles\":[\"Policy.Read.All\",\"Directory.Read.All\"]}".getBytes(StandardCharsets.UTF_8));

        assertThat(GraphClientFactory.rolesOf("e30." + payload + ".sig")).get()
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.collection(String.class))
                .containsExactlyInAnyOrder("Policy.Read.All", "Directory.Read.All");
        assertThat(GraphClientFactory.rolesOf("sim-static:tenant")).isEmpty();
    }
}
