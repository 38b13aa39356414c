package io.mfagov.graphsim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.graphsim.model.BuiltInRoles;
import io.mfagov.graphsim.model.TenantFixture;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Tenants built in Java (the fixture API the scanner's tests use) for the whole-policy shapes: custom strengths, PIM
 * eligibility, every CA condition, enum members after unknownFutureValue, named locations of both kinds.
 */
final class WholePolicyTenants {

    static final String TENANT = "5c000000-0000-4000-8000-000000000001";
    static final String UNLICENSED = "5c000000-0000-4000-8000-000000000002";
    static final String AS_GIVEN = "5c000000-0000-4000-8000-000000000003";

    static final String ADA = "5c100000-0000-4000-8000-000000000001";   // Global Administrator (active)
    static final String BEN = "5c100000-0000-4000-8000-000000000002";   // eligible Global Administrator
    static final String CLEO = "5c100000-0000-4000-8000-000000000003";  // eligible member of the admins group
    static final String DAN = "5c100000-0000-4000-8000-000000000004";   // disabled
    static final String EVE = "5c100000-0000-4000-8000-000000000005";   // disabled
    static final String ADMINS_GROUP = "5c200000-0000-4000-8000-000000000001"; // role-assignable, Security Administrator
    static final String STAFF_GROUP = "5c200000-0000-4000-8000-000000000002";
    static final String CUSTOM_STRENGTH = "5c600000-0000-4000-8000-000000000001";
    static final String POLICY_ALL_CONDITIONS = "5c300000-0000-4000-8000-000000000001";
    static final String POLICY_CUSTOM_STRENGTH = "5c300000-0000-4000-8000-000000000002";
    static final String POLICY_NAMED_STRENGTH = "5c300000-0000-4000-8000-000000000003";
    static final String IP_LOCATION = "5c700000-0000-4000-8000-000000000001";
    static final String COUNTRY_LOCATION = "5c700000-0000-4000-8000-000000000002";

    private WholePolicyTenants() {
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) Http.M.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TenantFixture.UserFixture user(String id, String upn, boolean enabled) {
        TenantFixture.UserFixture u = new TenantFixture.UserFixture();
        u.id = id;
        u.userPrincipalName = upn;
        u.displayName = upn.substring(0, upn.indexOf('@'));
        u.accountEnabled = enabled;
        return u;
    }

    static TenantFixture base(String tenantId, String name) {
        TenantFixture f = new TenantFixture();
        f.tenantId = tenantId;
        f.displayName = name;
        f.domain = name.toLowerCase().replace(" ", "") + ".onmicrosoft.com";
        f.app = new TenantFixture.SimulatorApp(tenantId.substring(0, 24) + "0000000000a1", "sim-secret-" + tenantId);
        String d = "@" + f.domain;
        f.users.add(user(ADA, "ada" + d, true));
        f.users.add(user(BEN, "ben" + d, true));
        f.users.add(user(CLEO, "cleo" + d, true));
        f.users.add(user(DAN, "dan" + d, false));
        f.users.add(user(EVE, "eve" + d, false));
        for (int i = 0; i < 7; i++) {
            f.users.add(user(String.format("5c100000-0000-4000-8000-0000000001%02d", i), "staff" + i + d, true));
        }
        TenantFixture.GroupFixture admins = new TenantFixture.GroupFixture();
        admins.id = ADMINS_GROUP;
        admins.displayName = "Tier 0 Admins";
        admins.isAssignableToRole = true;
        admins.members.add(ADA);
        TenantFixture.GroupFixture staff = new TenantFixture.GroupFixture();
        staff.id = STAFF_GROUP;
        staff.displayName = "All Staff";
        f.users.forEach(u -> staff.members.add(u.id));
        f.groups.add(admins);
        f.groups.add(staff);
        f.roleAssignments.add(new TenantFixture.RoleAssignmentFixture(BuiltInRoles.GLOBAL_ADMINISTRATOR, ADA, "/"));
        f.roleAssignments.add(new TenantFixture.RoleAssignmentFixture(BuiltInRoles.SECURITY_ADMINISTRATOR, ADMINS_GROUP, "/"));
        f.roleAssignments.add(new TenantFixture.RoleAssignmentFixture(BuiltInRoles.GLOBAL_READER, "5c100000-0000-4000-8000-000000000100", "/"));
        f.roleAssignments.add(new TenantFixture.RoleAssignmentFixture(BuiltInRoles.HELPDESK_ADMINISTRATOR,
                "5c100000-0000-4000-8000-000000000101", "/administrativeUnits/5c800000-0000-4000-8000-000000000001"));
        f.roleAssignments.add(new TenantFixture.RoleAssignmentFixture(BuiltInRoles.USER_ADMINISTRATOR, "5c100000-0000-4000-8000-000000000102", "/"));

        TenantFixture.RoleEligibilityFixture benGa = new TenantFixture.RoleEligibilityFixture(BuiltInRoles.GLOBAL_ADMINISTRATOR, BEN);
        benGa.startDateTime = "2025-01-10T09:00:00Z";
        benGa.endDateTime = "2026-01-10T09:00:00Z";
        f.roleEligibilities.add(benGa);
        f.roleEligibilities.add(new TenantFixture.RoleEligibilityFixture(BuiltInRoles.SECURITY_ADMINISTRATOR, BEN));
        f.roleEligibilities.add(new TenantFixture.RoleEligibilityFixture(BuiltInRoles.GLOBAL_ADMINISTRATOR, ADMINS_GROUP));
        f.groupEligibilities.add(new TenantFixture.GroupEligibilityFixture(ADMINS_GROUP, CLEO, "member"));
        f.groupEligibilities.add(new TenantFixture.GroupEligibilityFixture(ADMINS_GROUP, BEN, "owner"));
        f.groupEligibilities.add(new TenantFixture.GroupEligibilityFixture(STAFF_GROUP, CLEO, "member"));

        f.authenticationStrengthPolicies.add(json("""
                {"id": "%s", "displayName": "Contoso FIDO2 or TAP",
                 "description": "Security keys, or a temporary access pass while onboarding",
                 "allowedCombinations": ["fido2", "temporaryAccessPassOneTime", "qrCodePin"]}""".formatted(CUSTOM_STRENGTH)));

        f.namedLocations.add(json("""
                {"@odata.type": "#microsoft.graph.ipNamedLocation", "id": "%s", "displayName": "Head office",
                 "createdDateTime": "2024-02-01T09:00:00Z", "isTrusted": true,
                 "ipRanges": [{"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "198.51.100.0/24"},
                              {"@odata.type": "#microsoft.graph.iPv6CidrRange", "cidrAddress": "2001:db8:1234::/48"}]}"""
                .formatted(IP_LOCATION)));
        f.namedLocations.add(json("""
                {"@odata.type": "#microsoft.graph.countryNamedLocation", "id": "%s", "displayName": "Where we work",
                 "createdDateTime": "2024-02-01T09:00:00Z", "countriesAndRegions": ["GB", "IE"],
                 "includeUnknownCountriesAndRegions": false, "countryLookupMethod": "authenticatorAppGps"}"""
                .formatted(COUNTRY_LOCATION)));

        f.conditionalAccessPolicies.add(json("""
                {"id": "%s", "displayName": "Every condition", "state": "enabled",
                 "createdDateTime": "2025-03-01T10:00:00Z",
                 "conditions": {
                   "userRiskLevels": ["high"], "signInRiskLevels": ["medium", "high"],
                   "insiderRiskLevels": "moderate,elevated",
                   "clientAppTypes": ["browser", "mobileAppsAndDesktopClients"],
                   "platforms": {"includePlatforms": ["all"], "excludePlatforms": ["linux", "macOS"]},
                   "locations": {"includeLocations": ["All"], "excludeLocations": ["%s", "AllTrusted"]},
                   "devices": {"deviceFilter": {"mode": "exclude", "rule": "device.isCompliant -eq True"}},
                   "authenticationFlows": {"transferMethods": "deviceCodeFlow,authenticationTransfer"},
                   "applications": {"includeApplications": ["All"],
                                    "excludeApplications": ["00000002-0000-0ff1-ce00-000000000000"],
                                    "includeAuthenticationContextClassReferences": ["c1"],
                                    "applicationFilter": {"mode": "exclude",
                                                          "rule": "CustomSecurityAttribute.Engineering_Project -eq \\"Baker\\""}},
                   "users": {"includeUsers": ["All"], "excludeUsers": ["%s"], "excludeGroups": ["%s"],
                             "excludeRoles": ["%s"],
                             "excludeGuestsOrExternalUsers": {"guestOrExternalUserTypes": "b2bCollaborationGuest,serviceProvider",
                                                              "externalTenants": {"membershipKind": "enumerated",
                                                                                  "members": ["5c900000-0000-4000-8000-000000000001"]}}}},
                 "grantControls": {"operator": "AND", "builtInControls": ["mfa", "riskRemediation", "compliantDevice"],
                                   "customAuthenticationFactors": [], "termsOfUse": ["5ca00000-0000-4000-8000-000000000001"]}}"""
                .formatted(POLICY_ALL_CONDITIONS, IP_LOCATION, ADA, ADMINS_GROUP, BuiltInRoles.GLOBAL_READER)));
        f.conditionalAccessPolicies.add(json("""
                {"id": "%s", "displayName": "Custom strength for admins", "state": "enabledForReportingButNotEnforced",
                 "conditions": {"users": {"includeRoles": ["%s"]}, "applications": {"includeApplications": ["All"]}},
                 "grantControls": {"operator": "OR", "builtInControls": [], "authenticationStrength": {"id": "%s"}}}"""
                .formatted(POLICY_CUSTOM_STRENGTH, BuiltInRoles.GLOBAL_ADMINISTRATOR, CUSTOM_STRENGTH)));
        f.conditionalAccessPolicies.add(json("""
                {"id": "%s", "displayName": "Phishing-resistant for admins", "state": "enabled",
                 "conditions": {"users": {"includeRoles": ["%s"]}, "applications": {"includeApplications": ["All"]},
                                "clientApplications": {"includeServicePrincipals": ["ServicePrincipalsInMyTenant"]}},
                 "grantControls": {"operator": "OR", "builtInControls": [],
                                   "authenticationStrength": {"id": "00000000-0000-0000-0000-000000000004",
                                                              "displayName": "Phishing-resistant MFA"}}}"""
                .formatted(POLICY_NAMED_STRENGTH, BuiltInRoles.GLOBAL_ADMINISTRATOR)));
        return f;
    }

    /** The main tenant: licensed for PIM, strengths completed as Graph expands them. */
    static TenantFixture licensed() {
        return base(TENANT, "Whole Policy");
    }

    /** The same directory without Microsoft Entra ID P2 / Governance. */
    static TenantFixture unlicensed() {
        TenantFixture f = base(UNLICENSED, "No Premium");
        f.pimLicensed = false;
        return f;
    }

    /** Policies' strengths served exactly as the fixture gives them. */
    static TenantFixture strengthsAsGiven() {
        TenantFixture f = base(AS_GIVEN, "As Given");
        f.authenticationStrengthAsGiven = true;
        return f;
    }
}
