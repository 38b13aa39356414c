package io.mfagov.scanner.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mfagov.graphsim.model.TenantFixture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Hand-written simulator tenants for scanner tests. One app registration (client id + secret) is shared by every
 * tenant, as the MSP's multi-tenant app would be. All credentials are SIMULATOR-ONLY values.
 */
public final class TestTenants {

    public static final String CLIENT_ID = "a1b2c3d4-0000-4000-8000-00000000c1d0";
    public static final String CLIENT_SECRET = "sim-only-secret-value-123";

    /** Every exclusion kind, nested groups with a cycle, roles, report-only/disabled/non-MFA policies. */
    public static final String FULL = "11111111-1111-4111-8111-000000000001";
    /** Many excluded users and large groups: paging. */
    public static final String LARGE = "11111111-1111-4111-8111-000000000002";
    /** A tenant without CA policies. */
    public static final String EMPTY = "11111111-1111-4111-8111-000000000003";
    /** Spare tenants for fault tests (each test owns one so faults do not interfere). */
    public static final String F1 = "11111111-1111-4111-8111-0000000000f1";
    public static final String F2 = "11111111-1111-4111-8111-0000000000f2";
    public static final String F3 = "11111111-1111-4111-8111-0000000000f3";
    public static final String F4 = "11111111-1111-4111-8111-0000000000f4";
    /** Not known to the simulator. */
    /** Users whose display names a spreadsheet would run as formulas, and accents. */
    public static final String HOSTILE = "11111111-1111-4111-8111-000000000004";
    public static final String UNKNOWN = "99999999-9999-4999-8999-999999999999";
    /** Every whole-policy rule (tenants/whole-policy-semantics.json; see WholePolicyScanTest). */
    public static final String SEMANTICS = "22222222-2222-4222-8222-000000000001";

    // users
    public static final String BREAK_GLASS_1 = "00000000-aaaa-4000-8000-000000000001";
    public static final String BREAK_GLASS_2 = "00000000-aaaa-4000-8000-000000000002";
    public static final String SCANNER_SVC = "00000000-aaaa-4000-8000-000000000003";
    public static final String HOST_1 = "00000000-aaaa-4000-8000-000000000004";
    public static final String HOST_2 = "00000000-aaaa-4000-8000-000000000005";
    public static final String GUEST = "00000000-aaaa-4000-8000-000000000006";
    public static final String ADMIN = "00000000-aaaa-4000-8000-000000000007";
    public static final String AU_ADMIN = "00000000-aaaa-4000-8000-000000000008";
    public static final String ROLE_GROUP_MEMBER = "00000000-aaaa-4000-8000-000000000009";
    public static final String DELETED_USER = "00000000-dead-4000-8000-000000000001";
    // groups
    public static final String LEGACY_SCANNERS = "00000000-bbbb-4000-8000-000000000001";
    public static final String SCANNER_HOSTS = "00000000-bbbb-4000-8000-000000000002";
    public static final String PRIV_ADMINS = "00000000-bbbb-4000-8000-000000000003";
    public static final String EMPTY_GROUP = "00000000-bbbb-4000-8000-000000000004";
    public static final String DELETED_GROUP = "00000000-dead-4000-8000-000000000002";
    // apps, locations, roles, policies
    public static final String SALESFORCE_SP = "00000000-cccc-4000-8000-000000000001";
    public static final String SALESFORCE_APP = "00000000-cccc-4000-8000-0000000000a1";
    public static final String UNKNOWN_APP = "00000000-dead-4000-8000-0000000000a2";
    public static final String HQ = "00000000-eeee-4000-8000-000000000001";
    public static final String COUNTRIES = "00000000-eeee-4000-8000-000000000002";
    public static final String DELETED_LOCATION = "00000000-dead-4000-8000-000000000003";
    public static final String GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";
    public static final String USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1";
    public static final String P_ALL_USERS = "00000000-9999-4000-8000-000000000001";
    public static final String P_REPORT_ONLY = "00000000-9999-4000-8000-000000000002";
    public static final String P_DISABLED = "00000000-9999-4000-8000-000000000003";
    public static final String P_BLOCK = "00000000-9999-4000-8000-000000000004";
    public static final String P_STRENGTH = "00000000-9999-4000-8000-000000000005";
    public static final String P_DEVICE = "00000000-9999-4000-8000-000000000006";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestTenants() {
    }

    public static List<TenantFixture> all() {
        List<TenantFixture> all = new java.util.ArrayList<>(List.of(full(FULL), large(), tenant(EMPTY, "Empty Co", "[]"),
                hostile(), full(F1), full(F2), full(F3), full(F4)));
        all.addAll(wholePolicy());
        all.addAll(signInSignals());
        all.addAll(RemediationTenants.all());
        return all;
    }

    /** Sign-ins and per-user MFA (tenants/sign-in-signals.json; see SignInSignalsScanTest). */
    public static final String SIGN_INS = "44444444-4444-4444-8444-000000000001";

    public static List<TenantFixture> signInSignals() {
        return io.mfagov.graphsim.Fixtures.readFile(java.nio.file.Path.of("src", "test", "resources", "tenants",
                "sign-in-signals.json"));
    }

    /** The whole-policy test tenant, as written in Microsoft's documented shapes. */
    public static List<TenantFixture> wholePolicy() {
        return io.mfagov.graphsim.Fixtures.readFile(java.nio.file.Path.of("src", "test", "resources", "tenants",
                "whole-policy-semantics.json"));
    }

    static TenantFixture full(String id) {
        String json = """
            {
              "tenantId": "%s", "displayName": "Full Coverage Ltd", "domain": "full-%s.onmicrosoft.com",
              "app": {"clientId": "%s", "simulatorClientSecret": "%s"},
              "users": [
                {"id": "%s", "userPrincipalName": "bg1@full.example", "displayName": "Break Glass 1"},
                {"id": "%s", "userPrincipalName": "bg2@full.example", "displayName": "Break Glass 2"},
                {"id": "%s", "userPrincipalName": "scanner@full.example", "displayName": "Scanner Service", "accountEnabled": false},
                {"id": "%s", "userPrincipalName": "host1@full.example", "displayName": "Host One"},
                {"id": "%s", "userPrincipalName": "host2@full.example", "displayName": "Host Two"},
                {"id": "%s", "userPrincipalName": "ext_partner.example#EXT#@full.example", "displayName": "Partner Guest", "userType": "Guest"},
                {"id": "%s", "userPrincipalName": "admin@full.example", "displayName": "Tenant Admin"},
                {"id": "%s", "userPrincipalName": "au-admin@full.example", "displayName": "AU Admin"},
                {"id": "%s", "userPrincipalName": "pim@full.example", "displayName": "Role Group Member"}
              ],
              "groups": [
                {"id": "%s", "displayName": "Legacy Scanners", "members": ["%s", "%s"]},
                {"id": "%s", "displayName": "Scanner Hosts", "members": ["%s", "%s", "%s"]},
                {"id": "%s", "displayName": "Privileged Admins", "isAssignableToRole": true, "members": ["%s"]},
                {"id": "%s", "displayName": "Empty Group", "members": []}
              ],
              "servicePrincipals": [
                {"id": "%s", "appId": "%s", "displayName": "Salesforce"}
              ],
              "roleAssignments": [
                {"roleDefinitionId": "%s", "principalId": "%s", "directoryScopeId": "/"},
                {"roleDefinitionId": "%s", "principalId": "%s", "directoryScopeId": "/administrativeUnits/00000000-0000-4000-8000-00000000a0a0"},
                {"roleDefinitionId": "%s", "principalId": "%s", "directoryScopeId": "/"}
              ],
              "namedLocations": [
                {"@odata.type": "#microsoft.graph.ipNamedLocation", "id": "%s", "displayName": "Headquarters", "isTrusted": true,
                 "ipRanges": [{"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "203.0.113.0/24"}]},
                {"@odata.type": "#microsoft.graph.countryNamedLocation", "id": "%s", "displayName": "Allowed countries",
                 "countriesAndRegions": ["CH"], "includeUnknownCountriesAndRegions": false}
              ],
              "conditionalAccessPolicies": [
                {"id": "%s", "displayName": "Require MFA for all users", "state": "enabled",
                 "conditions": {"users": {"includeUsers": ["All"],
                    "excludeUsers": ["%s", "%s", "%s", "GuestsOrExternalUsers"],
                    "excludeGroups": ["%s", "%s"], "excludeRoles": ["%s"]},
                   "applications": {"includeApplications": ["All"]}},
                 "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}},
                {"id": "%s", "displayName": "MFA for admins (report-only)", "state": "enabledForReportingButNotEnforced",
                 "conditions": {"users": {"includeUsers": ["All"], "excludeUsers": ["%s"]},
                   "applications": {"includeApplications": ["All"]}},
                 "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}},
                {"id": "%s", "displayName": "Old MFA policy (disabled)", "state": "disabled",
                 "conditions": {"users": {"includeUsers": ["All"], "excludeUsers": ["%s"]},
                   "applications": {"includeApplications": ["All"]}},
                 "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}},
                {"id": "%s", "displayName": "Block legacy authentication", "state": "enabled",
                 "conditions": {"users": {"includeUsers": ["All"], "excludeUsers": ["%s"]},
                   "applications": {"includeApplications": ["All"]}, "clientAppTypes": ["exchangeActiveSync", "other"]},
                 "grantControls": {"operator": "OR", "builtInControls": ["block"]}},
                {"id": "%s", "displayName": "Phishing-resistant MFA for admins", "state": "enabled",
                 "conditions": {"users": {"includeUsers": ["All"], "excludeRoles": ["%s"],
                     "excludeGuestsOrExternalUsers": {"guestOrExternalUserTypes": "internalGuest,b2bCollaborationGuest",
                        "externalTenants": {"membershipKind": "all"}}},
                   "applications": {"includeApplications": ["All"], "excludeApplications": ["%s", "Office365", "%s"]},
                   "locations": {"includeLocations": ["All"], "excludeLocations": ["%s", "%s", "%s"]}},
                 "grantControls": {"operator": "OR", "builtInControls": [], "authenticationStrength": {"id": "00000000-0000-0000-0000-000000000004"}}},
                {"id": "%s", "displayName": "Require compliant device", "state": "enabled",
                 "conditions": {"users": {"includeUsers": ["All"], "excludeGroups": ["%s"]},
                   "applications": {"includeApplications": ["All"]}},
                 "grantControls": {"operator": "OR", "builtInControls": ["compliantDevice"]}}
              ]
            }
            """.formatted(id, id.substring(id.length() - 4), CLIENT_ID, CLIENT_SECRET,
                BREAK_GLASS_1, BREAK_GLASS_2, SCANNER_SVC, HOST_1, HOST_2, GUEST, ADMIN, AU_ADMIN, ROLE_GROUP_MEMBER,
                LEGACY_SCANNERS, SCANNER_SVC, SCANNER_HOSTS,
                SCANNER_HOSTS, HOST_1, HOST_2, SALESFORCE_SP,
                PRIV_ADMINS, ROLE_GROUP_MEMBER,
                EMPTY_GROUP,
                SALESFORCE_SP, SALESFORCE_APP,
                GLOBAL_ADMIN, ADMIN, GLOBAL_ADMIN, AU_ADMIN, GLOBAL_ADMIN, PRIV_ADMINS,
                HQ, COUNTRIES,
                P_ALL_USERS, BREAK_GLASS_1, BREAK_GLASS_2, DELETED_USER, LEGACY_SCANNERS, DELETED_GROUP, GLOBAL_ADMIN,
                P_REPORT_ONLY, BREAK_GLASS_1,
                P_DISABLED, HOST_1,
                P_BLOCK, SCANNER_SVC,
                P_STRENGTH, USER_ADMIN, SALESFORCE_APP, UNKNOWN_APP, HQ, COUNTRIES, DELETED_LOCATION,
                P_DEVICE, EMPTY_GROUP);
        return read(json);
    }

    /** 40 directly excluded users and a group of 2,500 members (3 pages of 999), 5 policies of 20 users each. */
    static TenantFixture large() {
        StringBuilder users = new StringBuilder();
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < 2500; i++) {
            String uid = "%08d-1111-4000-8000-000000000000".formatted(i);
            users.append(i == 0 ? "" : ",").append("{\"id\":\"").append(uid).append("\",\"userPrincipalName\":\"u")
                    .append(i).append("@large.example\"}");
            members.append(i == 0 ? "" : ",").append('"').append(uid).append('"');
        }
        StringBuilder policies = new StringBuilder();
        for (int p = 0; p < 5; p++) {
            StringBuilder ex = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                ex.append(i == 0 ? "" : ",").append('"').append("%08d-1111-4000-8000-000000000000".formatted(p * 5 + i)).append('"');
            }
            policies.append(p == 0 ? "" : ",").append("""
                {"id": "00000000-8888-4000-8000-00000000000%d", "displayName": "MFA %d", "state": "enabled",
                 "conditions": {"users": {"includeUsers": ["All"], "excludeUsers": [%s], "excludeGroups": [%s]},
                   "applications": {"includeApplications": ["All"]}},
                 "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}
                """.formatted(p, p, ex, p == 0 ? "\"00000000-7777-4000-8000-000000000001\"" : ""));
        }
        String json = """
            {"tenantId": "%s", "displayName": "Large Co", "domain": "large.onmicrosoft.com",
             "app": {"clientId": "%s", "simulatorClientSecret": "%s"},
             "users": [%s],
             "groups": [{"id": "00000000-7777-4000-8000-000000000001", "displayName": "All Staff", "members": [%s]}],
             "conditionalAccessPolicies": [%s]}
            """.formatted(LARGE, CLIENT_ID, CLIENT_SECRET, users, members, policies);
        return read(json);
    }

    /** One policy excluding seven users named "=HYPERLINK(...)", "+1+cmd", "-2+3", "@SUM(A1)", tab, CR, "Zoë Müller". */
    static TenantFixture hostile() {
        String[] names = {"=HYPERLINK(\\\"http://evil.example\\\",\\\"open\\\")", "+1+cmd", "-2+3", "@SUM(A1)",
                "\\t=1+1", "\\r=1+1", "Zoë Müller"};
        StringBuilder users = new StringBuilder();
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            String uid = "00000000-f00d-4000-8000-00000000000" + i;
            users.append(i == 0 ? "" : ",").append("{\"id\": \"").append(uid).append("\", \"userPrincipalName\": \"u")
                    .append(i).append("@hostile.example\", \"displayName\": \"").append(names[i]).append("\"}");
            ids.append(i == 0 ? "" : ",").append('"').append(uid).append('"');
        }
        return read("""
            {"tenantId": "%s", "displayName": "Hostile Names Ltd", "domain": "hostile.onmicrosoft.com",
             "app": {"clientId": "%s", "simulatorClientSecret": "%s"},
             "users": [%s],
             "conditionalAccessPolicies": [{"id": "00000000-9999-4000-8000-0000000000f0", "displayName": "MFA for everyone",
               "state": "enabled", "conditions": {"users": {"includeUsers": ["All"], "excludeUsers": [%s]},
                 "applications": {"includeApplications": ["All"]}},
               "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}]}
            """.formatted(HOSTILE, CLIENT_ID, CLIENT_SECRET, users, ids));
    }

    static TenantFixture tenant(String id, String name, String policies) {
        return read("""
            {"tenantId": "%s", "displayName": "%s", "domain": "t-%s.onmicrosoft.com",
             "app": {"clientId": "%s", "simulatorClientSecret": "%s"},
             "conditionalAccessPolicies": %s}
            """.formatted(id, name, id.substring(id.length() - 4), CLIENT_ID, CLIENT_SECRET, policies));
    }

    private static TenantFixture read(String json) {
        try {
            return JSON.readValue(json, TenantFixture.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
