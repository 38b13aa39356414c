package io.mfagov.keys.service;

import io.mfagov.support.problem.ProblemException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeyRulesTest {

    @Test
    void aNameIsTrimmedAndKeptAsWritten() {
        assertThat(ApiKeyRules.name("  psa.Connect-wise_1 ")).isEqualTo("psa.Connect-wise_1");
    }

    @Test
    void aNameWithSpacesSlashesOrColonsIsRefusedNamingTheField() {
        for (String bad : List.of("psa key", "psa/key", "apikey:psa", "é")) {
            assertThatThrownBy(() -> ApiKeyRules.name(bad)).isInstanceOfSatisfying(ProblemException.class,
                    e -> assertThat(e.problem().field()).isEqualTo("name"));
        }
    }

    @Test
    void aMissingOrTooLongNameIsRefused() {
        assertThatThrownBy(() -> ApiKeyRules.name(null)).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> ApiKeyRules.name(" ")).isInstanceOf(ProblemException.class);
        assertThat(ApiKeyRules.name("a".repeat(128))).hasSize(128);
        assertThatThrownBy(() -> ApiKeyRules.name("a".repeat(129))).isInstanceOf(ProblemException.class);
    }

    @Test
    void theBootstrapKeysNameIsReservedInAnyCase() {
        assertThatThrownBy(() -> ApiKeyRules.name("Bootstrap-Admin")).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.problem().detail()).contains("reserved"));
    }

    @Test
    void rolesAreLowerCasedDeduplicatedAndUnknownOnesNamedByIndex() {
        assertThat(ApiKeyRules.roles(List.of("Requester", "reader", "REQUESTER"))).containsExactly("requester", "reader");
        assertThatThrownBy(() -> ApiKeyRules.roles(List.of("reader", "root"))).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.problem().field()).isEqualTo("roles[1]"));
        assertThatThrownBy(() -> ApiKeyRules.roles(List.of())).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.problem().field()).isEqualTo("roles"));
        assertThatThrownBy(() -> ApiKeyRules.roles(Arrays.asList("reader", null))).isInstanceOf(ProblemException.class);
    }

    @Test
    void aTakenNameIsAConflictNamingTheField() {
        ProblemException e = ApiKeyRules.nameTaken("psa");
        assertThat(e.problem().status()).isEqualTo(409);
        assertThat(e.problem().field()).isEqualTo("name");
    }
}
