package io.mfagov.scanner.graph;

import io.mfagov.model.events.AccessStatus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The permission table and the classification of Entra's answers: pure decisions, no I/O. */
class PermissionTableTest {

    @Test
    void everythingToGrantAllowsEveryReadAndWrite() {
        PermissionTable.Assessment a = PermissionTable.assess(PermissionTable.toGrant());

        assertThat(a.missingPermissions()).isEmpty();
        assertThat(a.disabledReads()).isEmpty();
        assertThat(a.missingWrites()).isEmpty();
        assertThat(PermissionTable.missingWrites(PermissionTable.toGrant(), true)).isEmpty();
    }

    @Test
    void withoutPolicyReadAllTheScanIsBlockedAndNamesTheLeastPrivilegedPermission() {
        PermissionTable.Assessment a = PermissionTable.assess(Set.of("Directory.Read.All", "AuditLog.Read.All"));

        assertThat(a.scanBlocked()).isTrue();
        assertThat(a.missingRequired()).containsExactly("Policy.Read.All");
        assertThat(a.missingOptional()).containsExactly("RoleEligibilitySchedule.Read.Directory",
                "PrivilegedEligibilitySchedule.Read.AzureADGroup");
    }

    @Test
    void aBroaderPermissionAllowsTheReadItCovers() {
        PermissionTable.Assessment a = PermissionTable.assess(Set.of("Policy.Read.All", "User.Read.All",
                "GroupMember.Read.All", "RoleManagement.Read.Directory", "Application.Read.All", "Directory.Read.All"));

        assertThat(a.scanBlocked()).isFalse();
        assertThat(a.disabledReads()).as("RoleManagement.Read.Directory also reads PIM role eligibility")
                .containsExactly(PermissionTable.PIM_GROUPS, PermissionTable.REGISTRATION, PermissionTable.SIGN_INS);
        assertThat(a.missingOptional()).containsExactly("PrivilegedEligibilitySchedule.Read.AzureADGroup", "AuditLog.Read.All");
    }

    @Test
    void writePermissionsFollowTheLifecycleRules() {
        assertThat(PermissionTable.missingWrites(Set.of("Policy.Read.All", "Group.ReadWrite.All"), false))
                .containsExactly("Policy.ReadWrite.ConditionalAccess");
        assertThat(PermissionTable.missingWrites(Set.of("Policy.Read.All", "Policy.ReadWrite.ConditionalAccess",
                "GroupMember.ReadWrite.All"), true)).containsExactly("RoleManagement.ReadWrite.Directory");
        assertThat(PermissionTable.missingFor(Set.of(), "conditionalAccessPolicyRead", "conditionalAccessPolicyPatch"))
                .containsExactly("Policy.Read.All", "Policy.ReadWrite.ConditionalAccess");
    }

    @Test
    void entraCodesAreClassified() {
        assertThat(AccessChecker.classify(new RuntimeException("x", new RuntimeException(
                "AADSTS700016: Application with identifier 'a' was not found in the directory 'b'."))).status())
                .isEqualTo(AccessStatus.NO_CONSENT);
        for (String code : List.of("7000215", "7000222", "700027", "700024", "700211", "700212", "700213", "7000112")) {
            assertThat(AccessChecker.classify(new RuntimeException("AADSTS" + code + ": refused")).status())
                    .as(code).isEqualTo(AccessStatus.CREDENTIALS_REJECTED);
        }
        assertThat(AccessChecker.classify(new RuntimeException("AADSTS90002: Tenant 'x' not found.")).status())
                .isEqualTo(AccessStatus.TENANT_NOT_FOUND);
        assertThat(AccessChecker.classify(new RuntimeException("token", new ConnectException("Connection refused")))
                .status()).isEqualTo(AccessStatus.AUTHORITY_UNREACHABLE);
        assertThat(AccessChecker.classify(new IllegalStateException(new IOException("timeout"))).status())
                .isEqualTo(AccessStatus.AUTHORITY_UNREACHABLE);
    }

    @Test
    void theConsentUrlIsTheTenantsV2AdminConsentForTheAppWithGraphsDefaultScope() {
        assertThat(AccessChecker.consentUrl("https://login.microsoftonline.com/", "t-1", "app-1")).isEqualTo(
                "https://login.microsoftonline.com/t-1/v2.0/adminconsent?client_id=app-1"
                        + "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default");
    }

    @Test
    void theRedactorRemovesSecretsReadLaterJwtsAndFormSecrets() {
        CredentialSets sets = new CredentialSets(new CredentialSet(CredentialSet.DEFAULT, java.util.Optional.of("c"),
                java.util.Optional.of("configured-secret"), java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty(), null), List.of(), List.of());
        Redactor r = new Redactor(sets::secrets);
        sets.remember("read-from-a-file-later");

        assertThat(r.clean("a configured-secret and read-from-a-file-later")).isEqualTo("a *** and ***");
        assertThat(r.clean("client_assertion=abc.def&client_secret=xyz")).isEqualTo("client_assertion=***&client_secret=***");
        assertThat(r.clean("token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl here")).isEqualTo("token *** here");
    }
}
