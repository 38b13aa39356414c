package io.mfagov.support.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RolesAndApiKeysTest {

    @Test
    void rolesNestFromAdminDownToReader() {
        assertThat(Roles.withImplied(Roles.ADMIN)).containsExactlyInAnyOrder("admin", "approver", "requester", "reader");
        assertThat(Roles.withImplied(Roles.APPROVER)).containsExactlyInAnyOrder("approver", "requester", "reader");
        assertThat(Roles.withImplied(Roles.REQUESTER)).containsExactlyInAnyOrder("requester", "reader");
        assertThat(Roles.withImplied(Roles.READER)).containsExactly("reader");
        assertThat(Roles.withImplied("Global Administrator")).containsExactly("Global Administrator");
    }

    @Test
    void apiKeysAreRandomPrefixedAndStoredOnlyAsTheirHash() {
        String key = ApiKeys.generate();
        assertThat(key).startsWith("mfg_").hasSizeGreaterThan(40).isNotEqualTo(ApiKeys.generate());
        assertThat(ApiKeys.hash(key)).hasSize(64).isEqualTo(ApiKeys.hash(key)).doesNotContain(key);
    }
}
