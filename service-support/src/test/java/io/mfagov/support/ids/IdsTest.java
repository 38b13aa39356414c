package io.mfagov.support.ids;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdsTest {

    @Test
    void aGuidIsEightFourFourFourTwelveHexDigitsInAnyCase() {
        assertThat(Ids.isGuid("6f3b1c2a-0d4e-4b8f-9a7c-2e1d5f6a7b8c")).isTrue();
        assertThat(Ids.isGuid("6F3B1C2A-0D4E-4B8F-9A7C-2E1D5F6A7B8C")).isTrue();
    }

    @Test
    void anythingElseIsNotAGuid() {
        assertThat(Ids.isGuid(null)).isFalse();
        assertThat(Ids.isGuid("")).isFalse();
        assertThat(Ids.isGuid(" 6f3b1c2a-0d4e-4b8f-9a7c-2e1d5f6a7b8c")).isFalse();
        assertThat(Ids.isGuid("6f3b1c2a0d4e4b8f9a7c2e1d5f6a7b8c")).isFalse();
        assertThat(Ids.isGuid("{6f3b1c2a-0d4e-4b8f-9a7c-2e1d5f6a7b8c}")).isFalse();
        assertThat(Ids.isGuid("6f3b1c2a-0d4e-4b8f-9a7c-2e1d5f6a7b8g")).isFalse();
        assertThat(Ids.isGuid("contoso.onmicrosoft.com")).isFalse();
    }

    @Test
    void aTenantIdIsNormalisedToTrimmedLowerCase() {
        assertThat(Ids.normalisedTenantId(" 6F3B1C2A-0D4E-4B8F-9A7C-2E1D5F6A7B8C ")).isEqualTo("6f3b1c2a-0d4e-4b8f-9a7c-2e1d5f6a7b8c");
        assertThat(Ids.normalisedTenantId("contoso")).isNull();
        assertThat(Ids.normalisedTenantId(null)).isNull();
    }
}
