package io.mfagov.scanner.service;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Pure logic: MFA semantics and group chains from Graph's flat transitive member lists. */
class ExclusionResolverTest {

    private static DirObject user(String id) {
        return DirObject.user(id, id, id + "@x", "Member", true);
    }

    private static DirObject group(String id) {
        return DirObject.group(id, id);
    }

    @Test
    void nestedGroupChainsAreDerivedFromFlatMemberLists() {
        // Outer: u1, Mid; Mid: u2, Inner; Inner: u3
        Map<String, List<DirObject>> transitive = Map.of(
                "outer", List.of(user("u1"), group("mid"), user("u2"), group("inner"), user("u3")),
                "mid", List.of(user("u2"), group("inner"), user("u3")),
                "inner", List.of(user("u3")));
        Map<String, List<List<String>>> chains = ExclusionResolver.groupChains("outer", transitive);
        assertThat(chains).containsEntry("u1", List.of(List.of("outer")))
                .containsEntry("u2", List.of(List.of("outer", "mid")))
                .containsEntry("u3", List.of(List.of("outer", "mid", "inner")));
    }

    @Test
    void aMemberReachableThroughTwoNestedGroupsGetsBothChains() {
        Map<String, List<DirObject>> transitive = Map.of(
                "outer", List.of(group("a"), group("b"), user("u")),
                "a", List.of(user("u")),
                "b", List.of(user("u")));
        assertThat(ExclusionResolver.groupChains("outer", transitive).get("u"))
                .containsExactlyInAnyOrder(List.of("outer", "a"), List.of("outer", "b"));
    }

    @Test
    void groupCyclesTerminateAndStillReportEveryMember() {
        // a contains b, b contains a: Graph's flat lists hold each other
        Map<String, List<DirObject>> transitive = Map.of(
                "a", List.of(user("u1"), group("b"), user("u2")),
                "b", List.of(user("u2"), group("a"), user("u1")));
        Map<String, List<List<String>>> chains = ExclusionResolver.groupChains("a", transitive);
        assertThat(chains.keySet()).containsExactlyInAnyOrder("u1", "u2");
        assertThat(chains.values()).allSatisfy(paths -> assertThat(paths).isNotEmpty().allSatisfy(p ->
                assertThat(p).doesNotHaveDuplicates().startsWith("a")));
    }

    @Test
    void aNestedGroupWhoseMembersWereNotReadLeavesItsMembersUnderTheOuterGroup() {
        Map<String, List<DirObject>> transitive = Map.of("outer", List.of(group("unread"), user("u")));
        assertThat(ExclusionResolver.groupChains("outer", transitive)).containsEntry("u", List.of(List.of("outer")));
    }
}
