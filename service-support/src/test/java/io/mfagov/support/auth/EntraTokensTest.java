package io.mfagov.support.auth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EntraTokensTest {

    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final String OTHER = "9188040d-6c67-4c5b-b112-36a304b66dad";

    @Test
    void appRolesMapToOursCaseInsensitivelyWithOrWithoutThePrefix() {
        assertThat(AppRoles.ours(List.of("Mfagov.Admin", "mfagov.reader", "Approver", "requester"), "Mfagov."))
                .containsExactly("admin", "reader", "approver", "requester");
    }

    @Test
    void appRolesThatNameNoneOfOursGrantNothing() {
        assertThat(AppRoles.ours(List.of("Mfagov.Owner", "Other.Admin", "Directory.Read.All", ""), "Mfagov.")).isEmpty();
        assertThat(AppRoles.ours("Mfagov.", "Mfagov.")).isEmpty();
    }

    @Test
    void aV1TokenOfTheTenantIsAcceptedFromStsWindowsNet() {
        assertThat(EntraIssuers.refusal(TENANT, "https://sts.windows.net/" + TENANT + "/", TENANT, "1.0")).isNull();
    }

    @Test
    void aV2TokenOfTheTenantIsAcceptedFromLoginMicrosoftonlineV2() {
        assertThat(EntraIssuers.refusal(TENANT, "https://login.microsoftonline.com/" + TENANT + "/v2.0", TENANT, "2.0")).isNull();
    }

    @Test
    void aTokenOfAnotherTenantIsRefusedWhateverItsIssuer() {
        assertThat(EntraIssuers.refusal(TENANT, "https://sts.windows.net/" + OTHER + "/", OTHER, "1.0")).isNotNull();
        assertThat(EntraIssuers.refusal(TENANT, "https://sts.windows.net/" + TENANT + "/", OTHER, "1.0")).isNotNull();
        assertThat(EntraIssuers.refusal(TENANT, "https://sts.windows.net/" + TENANT + "/", null, "1.0")).isNotNull();
    }

    @Test
    void anIssuerThatDoesNotMatchTheVersionOrTenantIsRefused() {
        assertThat(EntraIssuers.refusal(TENANT, "https://sts.windows.net/" + OTHER + "/", TENANT, "1.0")).isNotNull();
        assertThat(EntraIssuers.refusal(TENANT, "https://login.microsoftonline.com/" + TENANT + "/v2.0", TENANT, "1.0")).isNotNull();
        assertThat(EntraIssuers.refusal(TENANT, "https://sts.windows.net/" + TENANT + "/", TENANT, "2.0")).isNotNull();
        assertThat(EntraIssuers.refusal(TENANT, "https://login.microsoftonline.com/" + TENANT + "/v2.0", TENANT, null)).isNotNull();
    }

    @Test
    void theConfiguredTenantMayBeWrittenInUpperCase() {
        String upper = TENANT.toUpperCase(java.util.Locale.ROOT);
        assertThat(EntraIssuers.refusal(upper, "https://sts.windows.net/" + TENANT + "/", TENANT, "1.0")).isNull();
    }
}
