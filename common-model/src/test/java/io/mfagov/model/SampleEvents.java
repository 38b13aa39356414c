package io.mfagov.model;

import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertLink;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.ClosingPolicy;
import io.mfagov.model.events.CoverageFinding;
import io.mfagov.model.events.CoverageObserved;
import io.mfagov.model.events.ExclusionUsageObserved;
import io.mfagov.model.events.PlanKind;
import io.mfagov.model.events.RemediationApplied;
import io.mfagov.model.events.RemediationFailed;
import io.mfagov.model.events.RemediationFailure;
import io.mfagov.model.events.RemediationMode;
import io.mfagov.model.events.RemediationPlan;
import io.mfagov.model.events.RemediationPlanned;
import io.mfagov.model.events.RemediationReason;
import io.mfagov.model.events.RemediationRequested;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.model.events.GapKind;
import io.mfagov.model.events.MfaGapDetected;
import io.mfagov.model.events.MissingSignal;
import io.mfagov.model.events.TenantPostureObserved;
import io.mfagov.model.events.UncoveredReason;
import io.mfagov.model.events.UncoveredUser;
import io.mfagov.model.events.ExclusionDetected;
import io.mfagov.model.events.MfaRequirement;
import io.mfagov.model.events.PathStep;
import io.mfagov.model.events.PolicyRef;
import io.mfagov.model.events.PolicyState;
import io.mfagov.model.events.Principal;
import io.mfagov.model.events.PrincipalType;
import io.mfagov.model.events.ScanCompleted;
import io.mfagov.model.events.ScanReason;
import io.mfagov.model.events.ScanRequested;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.model.events.Severity;
import io.mfagov.model.events.Via;
import io.mfagov.model.events.ViaKind;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Events of every type, fully populated and minimal, for contract tests. */
final class SampleEvents {

    static final String TENANT = "6f3b1c2a-0d4e-4b8f-9a7c-2e1d5f6a7b8c";
    static final Instant NOW = Instant.parse("2026-11-27T10:15:30Z");
    static final String PARTNER = "7e57ab1e-0000-4000-8000-00000000face";
    static final UUID SCAN = UUID.fromString("0b7e9f6a-3c2d-4e1f-8a9b-1c2d3e4f5a6b");

    private SampleEvents() {
    }

    static List<EventPayload> all() {
        return List.of(
                new ScanRequested(UUID.randomUUID(), TENANT, "Contoso", ScanReason.MANUAL, NOW, "alice@msp.example", "default"),
                new ScanRequested(UUID.randomUUID(), TENANT, null, ScanReason.SCHEDULED, NOW, "scheduler", null),
                nestedGroupExclusion(),
                new ExclusionDetected(SCAN, TENANT,
                        new PolicyRef("pol-2", null, PolicyState.REPORT_ONLY, MfaRequirement.AUTH_STRENGTH, "Phishing-resistant MFA"),
                        Principal.unresolved("1f1e6c55-7a0f-4d6b-bd0e-3b3b7a3b9a10", PrincipalType.USER),
                        Via.direct("1f1e6c55-7a0f-4d6b-bd0e-3b3b7a3b9a10"), NOW),
                new ExclusionDetected(SCAN, TENANT,
                        new PolicyRef("pol-3", "MFA outside trusted", PolicyState.ENABLED, MfaRequirement.BUILT_IN_MFA, null),
                        new Principal("loc-1", PrincipalType.LOCATION, null, "Head office", null, null, true, true),
                        new Via(ViaKind.LOCATION, "loc-1", "Head office", List.of()), NOW),
                new ExclusionDetected(SCAN, TENANT,
                        new PolicyRef("pol-4", "MFA for browsers", PolicyState.ENABLED, MfaRequirement.CUSTOM_CONTROL, null,
                                "Duo"),
                        new Principal("clientAppType:exchangeActiveSync", PrincipalType.CLIENT_APP_TYPE, null,
                                "Exchange ActiveSync clients", null, null, true, null),
                        new Via(ViaKind.CONDITION, "clientAppType:exchangeActiveSync", "Exchange ActiveSync clients",
                                List.of()), NOW, null, "allApps", null, null,
                        new ClosingPolicy("pol-5", "Block legacy authentication"),
                        Map.of("clientAppTypes", "browser"), List.of("customControlNotMfa")),
                new ExclusionDetected(SCAN, TENANT,
                        new PolicyRef("pol-1", "Require MFA for admins", PolicyState.ENABLED, MfaRequirement.BUILT_IN_MFA, null),
                        new Principal("a3c1d2e4-5f60-4718-92a3-b4c5d6e7f809", PrincipalType.USER, "adm@contoso.com",
                                "Admin", "Member", true, true, null),
                        new Via(ViaKind.ROLE, "62e90394-69f5-4237-9190-012177145e10", "Global Administrator",
                                List.of(new PathStep(ViaKind.ROLE, "62e90394-69f5-4237-9190-012177145e10", "Global Administrator"))),
                        NOW, true, "userAction:urn:user:registersecurityinfo", true, false, null, null, null),
                new CoverageObserved(SCAN, TENANT, false, 0, 1, false, 42, 1,
                        List.of(new UncoveredUser("a3c1d2e4-5f60-4718-92a3-b4c5d6e7f809", "adm@contoso.com", "Admin",
                                "Member", UncoveredReason.ONLY_REPORT_ONLY, true)),
                        false, List.of(CoverageFinding.NO_MFA_ENFORCEMENT), NOW),
                new CoverageObserved(SCAN, TENANT, null, 2, 0, true, null, 0, null, null, null, NOW),
                new MfaGapDetected(SCAN, TENANT, GapKind.SINGLE_FACTOR_SIGNINS, "a3c1d2e4-5f60-4718-92a3-b4c5d6e7f809",
                        "scanner@contoso.com", "Scanner", "Member", false, 412, NOW.minusSeconds(86_400 * 20), NOW,
                        List.of("Office 365 Exchange Online"), List.of("IMAP4"), List.of("CH"), List.of("203.0.113.7"), null,
                        null, null, "412 single-factor sign-ins over IMAP4", NOW),
                new MfaGapDetected(SCAN, TENANT, GapKind.NOT_REGISTERED, "b3c1d2e4-5f60-4718-92a3-b4c5d6e7f809", null, null,
                        null, null, null, null, null, null, null, null, null, null, null, null, null, NOW),
                new ExclusionUsageObserved(SCAN, TENANT, PrincipalType.USER, "a3c1d2e4-5f60-4718-92a3-b4c5d6e7f809", 30,
                        NOW, NOW, 412, 412, NOW),
                new ExclusionUsageObserved(SCAN, TENANT, PrincipalType.APPLICATION, "00000002-0000-0ff1-ce00-000000000000", 30,
                        null, null, 0, 0, NOW),
                new TenantPostureObserved(SCAN, TENANT, 30, NOW.minusSeconds(86_400 * 30), NOW, 3, 1, 2, 1, 10_000L, 412L,
                        List.of(new MissingSignal("perUserMfa", "HTTP 403 Authorization_RequestDenied")), NOW),
                new TenantPostureObserved(SCAN, TENANT, null, null, null, null, null, null, null, null, null, null, NOW),
                new ScanCompleted(SCAN, UUID.randomUUID(), TENANT, ScanStatus.COMPLETE, NOW, NOW.plusSeconds(3), 3, 9,
                        null, null, 12, false),
                new ScanCompleted(SCAN, null, TENANT, ScanStatus.PARTIAL, NOW, NOW.plusSeconds(3), 1, 14,
                        "groups/9a1b: 503 after 4 attempts", List.of("groups/9a1b/transitiveMembers"), null, null),
                new ScanCompleted(SCAN, UUID.randomUUID(), TENANT, ScanStatus.FAILED, NOW, NOW, 0, 0,
                        "the app lacks Policy.Read.All in this tenant", null, null, null, null,
                        io.mfagov.model.events.AccessStatus.MISSING_PERMISSIONS,
                        "https://login.microsoftonline.com/" + TENANT + "/v2.0/adminconsent?client_id=c0ffee00-0000-4000-8000-000000000001&scope=https://graph.microsoft.com/.default",
                        List.of("Policy.Read.All"), List.of("conditionalAccessPolicies", "namedLocations"),
                        List.of("Policy.ReadWrite.ConditionalAccess"), List.of("Directory.Read.All")),
                new io.mfagov.model.events.DiscoveryRequested(UUID.randomUUID(), PARTNER, NOW, "scheduler", null, null),
                new io.mfagov.model.events.DiscoveryRequested(UUID.randomUUID(), PARTNER, NOW, "alice@msp.example", "partner",
                        Map.of(TENANT, "eu-customers")),
                new io.mfagov.model.events.CustomerDiscovered(SCAN, UUID.randomUUID(), PARTNER, TENANT, "Contoso Ltd",
                        io.mfagov.model.events.NameSource.ORGANIZATION, "contoso.onmicrosoft.com", "SyndicationPartner",
                        List.of(new io.mfagov.model.events.DelegatedRelationship("5d5e6f70-1111-4a2b-9c3d-000000000001-"
                                + "1111aaaa-2222-4b3c-8d4e-000000000002", "Contoso MSP support", "active",
                                NOW.minusSeconds(86_400 * 200), NOW.minusSeconds(86_400 * 199), NOW.plusSeconds(86_400 * 20),
                                "PT0S", List.of("f2ef992c-3afb-46b9-b7cf-a126ee74c451"))),
                        io.mfagov.model.events.AccessStatus.OK, null, null, NOW),
                new io.mfagov.model.events.CustomerDiscovered(SCAN, null, PARTNER, TENANT, "Contoso",
                        io.mfagov.model.events.NameSource.CONTRACT, null, null, null,
                        io.mfagov.model.events.AccessStatus.NO_CONSENT, "https://login.microsoftonline.com/x", null, NOW),
                new io.mfagov.model.events.DiscoveryCompleted(SCAN, UUID.randomUUID(), PARTNER, ScanStatus.COMPLETE, NOW, NOW,
                        2, 4, null, null, io.mfagov.model.events.AccessStatus.OK, null),
                new io.mfagov.model.events.DiscoveryCompleted(SCAN, null, PARTNER, ScanStatus.FAILED, NOW, NOW, 0, 0,
                        "the app lacks DelegatedAdminRelationship.Read.All in the partner tenant", List.of("delegatedAdminRelationships"),
                        io.mfagov.model.events.AccessStatus.MISSING_PERMISSIONS, List.of("DelegatedAdminRelationship.Read.All")),
                remediationRequest(RemediationMode.PLAN, null),
                remediationRequest(RemediationMode.APPLY, removal()),
                new RemediationPlanned(REMEDIATION, UUID.randomUUID(), TENANT, RemediationMode.PLAN, removal(), null, NOW, 1),
                new RemediationPlanned(REMEDIATION, UUID.randomUUID(), TENANT, RemediationMode.APPLY,
                        new RemediationPlan(PlanKind.MANUAL, "pol-1", "Require MFA for admins", "2026-11-01T08:00:00Z",
                                null, null, null, null, null, null,
                                List.of("Entra admin center > Roles & admins > Global Administrator: remove adm@contoso.com"),
                                "excluded through a directory role"),
                        "modifiedDateTime changed from 2026-11-01T08:00:00Z to 2026-11-02T09:00:00Z", NOW, 2),
                new RemediationApplied(REMEDIATION, UUID.randomUUID(), TENANT, RemediationMode.APPLY, PlanKind.EXCLUDE_LIST,
                        "pol-1", "excludeUsers", USER, null, List.of(USER, "b3c1d2e4-5f60-4718-92a3-b4c5d6e7f809"),
                        List.of("b3c1d2e4-5f60-4718-92a3-b4c5d6e7f809"), "2026-11-01T08:00:00Z", "2026-11-27T10:15:31Z",
                        users(List.of("b3c1d2e4-5f60-4718-92a3-b4c5d6e7f809")), List.of(), null, null, NOW, 3),
                new RemediationApplied(REMEDIATION, UUID.randomUUID(), TENANT, RemediationMode.ROLLBACK,
                        PlanKind.GROUP_MEMBERSHIP, "pol-1", "members", USER, "9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                        List.of(), List.of(USER), null, null, null, List.of("/state"),
                        JsonNodeFactory.instance.objectNode().put("state", "enabled"),
                        JsonNodeFactory.instance.objectNode().put("state", "disabled"), NOW, 4),
                new RemediationFailed(REMEDIATION, UUID.randomUUID(), TENANT, RemediationMode.APPLY,
                        RemediationFailure.ENFORCEMENT_NOT_PERMITTED, "the token's roles lack Policy.ReadWrite.ConditionalAccess",
                        List.of("Policy.ReadWrite.ConditionalAccess"), NOW, 0),
                new AlertRaised("UNAPPROVED_EXCLUSION:" + TENANT + ":k1", TENANT, AlertKind.UNAPPROVED_EXCLUSION, Severity.HIGH,
                        "svc-scanner@contoso.com excluded from 'Require MFA'", "42", null,
                        Map.of("Tenant", "Contoso", "Path", "group:Legacy Scanners"),
                        List.of(new AlertLink("Open in register", "https://register.example/api/v1/exclusions/42")), NOW),
                new AlertRaised("SCAN_FAILED:" + TENANT + ":2026-11-27", TENANT, AlertKind.SCAN_FAILED, Severity.MEDIUM,
                        "Scan of Contoso failed", null, null, null, null, NOW));
    }

    static final UUID REMEDIATION = UUID.fromString("5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a");
    static final String USER = "a3c1d2e4-5f60-4718-92a3-b4c5d6e7f809";

    static ObjectNode users(List<String> excludeUsers) {
        ObjectNode users = JsonNodeFactory.instance.objectNode();
        users.putArray("includeUsers").add("All");
        excludeUsers.forEach(users.putArray("excludeUsers")::add);
        users.putArray("includeGroups");
        users.putArray("excludeGroups");
        return users;
    }

    static RemediationPlan removal() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("conditions").set("users", users(List.of("b3c1d2e4-5f60-4718-92a3-b4c5d6e7f809")));
        return new RemediationPlan(PlanKind.EXCLUDE_LIST, "pol-1", "Require MFA for admins", "2026-11-01T08:00:00Z",
                users(List.of(USER, "b3c1d2e4-5f60-4718-92a3-b4c5d6e7f809")), body, "excludeUsers", USER, null, null,
                List.of("PATCH policy pol-1: remove " + USER + " from excludeUsers"), "excluded directly");
    }

    static RemediationRequested remediationRequest(RemediationMode mode, RemediationPlan plan) {
        return new RemediationRequested(REMEDIATION, UUID.randomUUID(), TENANT, mode, RemediationReason.EXPIRED, "pol-1",
                PrincipalType.USER, USER, "Admin", Via.direct(USER), true, false,
                List.of("c3c1d2e4-5f60-4718-92a3-b4c5d6e7f809"), plan,
                plan == null ? null : plan.policyModifiedDateTime(), plan == null ? null : plan.usersBefore(), NOW,
                "lifecycle", NOW.plusSeconds(3600), null);
    }

    static ExclusionDetected nestedGroupExclusion() {
        return new ExclusionDetected(SCAN, TENANT,
                new PolicyRef("pol-1", "Require MFA for all users", PolicyState.ENABLED, MfaRequirement.BUILT_IN_MFA, null),
                new Principal("a3c1d2e4-5f60-4718-92a3-b4c5d6e7f809", PrincipalType.USER, "svc-scanner@contoso.com",
                        "Scanner service", "Member", true, true, null),
                new Via(ViaKind.GROUP, "g-outer", "Legacy Scanners", List.of(
                        new PathStep(ViaKind.GROUP, "g-outer", "Legacy Scanners"),
                        new PathStep(ViaKind.GROUP, "g-inner", "Scanner Hosts"))),
                NOW);
    }
}
