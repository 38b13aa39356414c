package io.mfagov.register.service;

import io.mfagov.register.entity.SharedMailboxEntry;
import io.mfagov.support.problem.ProblemException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SharedMailboxMatcherTest {

    private static SharedMailboxEntry entry(String userId, String pattern) {
        SharedMailboxEntry e = new SharedMailboxEntry();
        e.userId = userId;
        e.upnPattern = pattern;
        return e;
    }

    @Test
    void aPatternMatchesWholeUpnsWhateverTheirCase() {
        SharedMailboxes.Matcher m = SharedMailboxes.Matcher.of(List.of(entry(null, "room-*@contoso.com"),
                entry(null, "desk-?@contoso.com")));
        assertThat(m.isListed("x", "ROOM-Berlin@Contoso.COM")).isTrue();
        assertThat(m.isListed("x", "room-@contoso.com")).isTrue();
        assertThat(m.isListed("x", "desk-1@contoso.com")).isTrue();
        assertThat(m.isListed("x", "desk-12@contoso.com")).isFalse();
        assertThat(m.isListed("x", "broom-1@contoso.com")).isFalse();
        assertThat(m.isListed("x", "room-1@contoso.com.evil.example")).isFalse();
        assertThat(m.isListed("x", "room-1@contosoXcom")).isFalse(); // the dot is literal
        assertThat(m.isListed("x", null)).isFalse();
    }

    @Test
    void aUserIdMatchesInAnyCase() {
        SharedMailboxes.Matcher m = SharedMailboxes.Matcher.of(List.of(entry("6f3b1c2a-0d4e-4b8f-9a7c-2e1d5f6a7b8c", null)));
        assertThat(m.isListed("6F3B1C2A-0D4E-4B8F-9A7C-2E1D5F6A7B8C", null)).isTrue();
        assertThat(m.isListed("00000000-0d4e-4b8f-9a7c-2e1d5f6a7b8c", "x@contoso.com")).isFalse();
        assertThat(SharedMailboxes.Matcher.none().isListed("6f3b1c2a-0d4e-4b8f-9a7c-2e1d5f6a7b8c", "a@b.c")).isFalse();
    }

    @Test
    void aPatternMustLookLikeAUpnWithALiteralDomainAndNameSomething() {
        assertThat(SharedMailboxes.checkPattern(" Room-*@Contoso.com ")).isEqualTo("room-*@contoso.com");
        for (String bad : List.of("room-*", "*@contoso.com", "?*@contoso.com", "room@*.com", "room@contoso",
                "ro om@contoso.com", "room@@contoso.com", "a".repeat(250) + "@contoso.com")) {
            assertThatThrownBy(() -> SharedMailboxes.checkPattern(bad)).as(bad).isInstanceOf(ProblemException.class)
                    .satisfies(e -> assertThat(((ProblemException) e).problem().field()).isEqualTo("upnPattern"));
        }
    }
}
