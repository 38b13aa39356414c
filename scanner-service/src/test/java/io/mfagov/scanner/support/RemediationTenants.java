package io.mfagov.scanner.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mfagov.graphsim.model.TenantFixture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Simulator tenants for remediation tests, all alike: one per test (writes and change logs never interfere, in any
 * order). A policy excluding two break-glass accounts, a retired service account and a group; the group is cloud-only,
 * assigned and security-enabled; a second policy no remediation touches. SIMULATOR-ONLY values.
 */
public final class RemediationTenants {

    public static final String PLAN_APPLY_ROLLBACK = "55555555-5555-4555-8555-000000000001";
    public static final String BREAK_GLASS = "55555555-5555-4555-8555-000000000002";
    public static final String EDITED_BEFORE = "55555555-5555-4555-8555-000000000003";
    public static final String EDITED_DURING = "55555555-5555-4555-8555-000000000004";
    public static final String NOT_PERMITTED = "55555555-5555-4555-8555-000000000005";
    public static final String REPLAY = "55555555-5555-4555-8555-000000000006";
    public static final String MEMBERSHIP = "55555555-5555-4555-8555-000000000007";
    public static final String DEAD_LETTER = "55555555-5555-4555-8555-000000000008";
    public static final String STALE = "55555555-5555-4555-8555-000000000009";
    public static final String ROLES_PRECHECK = "55555555-5555-4555-8555-00000000000a";
    public static final String THROTTLED = "55555555-5555-4555-8555-00000000000b";
    /** Its group is role-assignable (a membership removal also needs RoleManagement.ReadWrite.Directory). */
    public static final String ROLE_ASSIGNABLE = "55555555-5555-4555-8555-00000000000c";

    public static final String BG1 = "00000000-aaaa-4000-8000-000000000001";
    public static final String BG2 = "00000000-aaaa-4000-8000-000000000002";
    public static final String RETIRED = "00000000-aaaa-4000-8000-000000000003";
    public static final String HOST = "00000000-aaaa-4000-8000-000000000004";
    public static final String GROUP = "00000000-bbbb-4000-8000-000000000001";
    public static final String POLICY = "00000000-9999-4000-8000-000000000001";
    public static final String OTHER_POLICY = "00000000-9999-4000-8000-000000000002";

    private static final ObjectMapper JSON = new ObjectMapper();

    private RemediationTenants() {
    }

    public static List<TenantFixture> all() {
        List<TenantFixture> all = new java.util.ArrayList<>(List.of(PLAN_APPLY_ROLLBACK, BREAK_GLASS, EDITED_BEFORE,
                EDITED_DURING, NOT_PERMITTED, REPLAY, MEMBERSHIP, DEAD_LETTER, STALE, ROLES_PRECHECK, THROTTLED).stream()
                .map(RemediationTenants::tenant).toList());
        TenantFixture roleAssignable = tenant(ROLE_ASSIGNABLE);
        roleAssignable.groups.get(0).isAssignableToRole = Boolean.TRUE;
        all.add(roleAssignable);
        return all;
    }

    static TenantFixture tenant(String id) {
        String json = """
            {
              "tenantId": "%1$s", "displayName": "Remediation Co %2$s", "domain": "rem-%2$s.onmicrosoft.com",
              "app": {"clientId": "%3$s", "simulatorClientSecret": "%4$s"},
              "users": [
                {"id": "%5$s", "userPrincipalName": "bg1@rem.example", "displayName": "Break Glass 1"},
                {"id": "%6$s", "userPrincipalName": "bg2@rem.example", "displayName": "Break Glass 2"},
                {"id": "%7$s", "userPrincipalName": "scanner@rem.example", "displayName": "Scanner Service"},
                {"id": "%8$s", "userPrincipalName": "host@rem.example", "displayName": "Host One"}
              ],
              "groups": [
                {"id": "%9$s", "displayName": "Legacy Scanners", "securityEnabled": true, "mailEnabled": false,
                 "members": ["%7$s", "%8$s"]}
              ],
              "conditionalAccessPolicies": [
                {"id": "%10$s", "displayName": "Require MFA for all users", "state": "enabled",
                 "conditions": {"users": {"includeUsers": ["All"], "excludeUsers": ["%5$s", "%6$s", "%7$s"],
                    "excludeGroups": ["%9$s"]},
                   "applications": {"includeApplications": ["All"]}},
                 "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}},
                {"id": "%11$s", "displayName": "Block legacy authentication", "state": "enabled",
                 "conditions": {"users": {"includeUsers": ["All"], "excludeUsers": ["%5$s"]},
                   "applications": {"includeApplications": ["All"]}, "clientAppTypes": ["exchangeActiveSync", "other"]},
                 "grantControls": {"operator": "OR", "builtInControls": ["block"]}}
              ]
            }
            """.formatted(id, id.substring(id.length() - 2), TestTenants.CLIENT_ID, TestTenants.CLIENT_SECRET,
                BG1, BG2, RETIRED, HOST, GROUP, POLICY, OTHER_POLICY);
        try {
            return JSON.readValue(json, TenantFixture.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
