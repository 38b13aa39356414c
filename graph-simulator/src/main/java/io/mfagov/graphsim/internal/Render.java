package io.mfagov.graphsim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.graphsim.model.DirectoryObject;
import io.mfagov.graphsim.model.Group;
import io.mfagov.graphsim.model.GroupEligibility;
import io.mfagov.graphsim.model.RoleEligibility;
import io.mfagov.graphsim.model.RoleAssignment;
import io.mfagov.graphsim.model.ServicePrincipal;
import io.mfagov.graphsim.model.SignIn;
import io.mfagov.graphsim.model.Tenant;
import io.mfagov.graphsim.model.TenantFixture;
import io.mfagov.graphsim.model.User;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** JSON renderings of the tenant model in Graph's documented shapes. */
public final class Render {

    /** Properties Graph v1.0 returns for a user without $select. */
    public static final List<String> USER_DEFAULT = List.of("businessPhones", "displayName", "givenName", "jobTitle",
            "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id");

    private Render() {
    }

    // ---- directory objects -----------------------------------------------------------------------------------

    /** Every user property the simulator knows (default ones first). */
    public static ObjectNode userFull(User u) {
        ObjectNode o = userDefault(u, false);
        o.put("accountEnabled", u.accountEnabled());
        o.put("userType", u.userType());
        o.put("creationType", u.creationType());
        o.put("externalUserState", u.externalUserState());
        o.put("createdDateTime", u.createdDateTime());
        o.putNull("deletedDateTime");
        if (u.onPremisesSyncEnabled() == null) {
            o.putNull("onPremisesSyncEnabled");
        } else {
            o.put("onPremisesSyncEnabled", u.onPremisesSyncEnabled());
        }
        o.set("imAddresses", u.mail() == null ? Json.arr() : Json.arr(u.mail()));
        o.put("mailNickname", u.userPrincipalName().substring(0, u.userPrincipalName().indexOf('@') < 0
                ? u.userPrincipalName().length() : u.userPrincipalName().indexOf('@')));
        o.put("usageLocation", u.isGuest() ? null : "US");
        o.set("otherMails", Json.arr());
        o.set("proxyAddresses", u.mail() == null ? Json.arr() : Json.arr("SMTP:" + u.mail()));
        return o;
    }

    /** Graph's default user projection, built directly (hot path of getByIds and member lists). */
    public static ObjectNode userDefault(User u, boolean withType) {
        ObjectNode o = Json.obj();
        if (withType) {
            o.put("@odata.type", "#microsoft.graph.user");
        }
        o.set("businessPhones", Json.arr());
        o.put("displayName", u.displayName());
        o.put("givenName", u.givenName());
        o.put("jobTitle", u.jobTitle());
        o.put("mail", u.mail());
        o.putNull("mobilePhone");
        o.putNull("officeLocation");
        o.put("preferredLanguage", u.isGuest() ? null : "en-US");
        o.put("surname", u.surname());
        o.put("userPrincipalName", u.userPrincipalName());
        o.put("id", u.id());
        return o;
    }

    /** Streams Graph's default user projection (no intermediate tree: getByIds with 1,000 ids is hot). */
    public static void writeUserDefault(com.fasterxml.jackson.core.JsonGenerator g, User u, boolean withType)
            throws java.io.IOException {
        g.writeStartObject();
        if (withType) {
            g.writeStringField("@odata.type", "#microsoft.graph.user");
        }
        g.writeArrayFieldStart("businessPhones");
        g.writeEndArray();
        g.writeStringField("displayName", u.displayName());
        g.writeStringField("givenName", u.givenName());
        g.writeStringField("jobTitle", u.jobTitle());
        g.writeStringField("mail", u.mail());
        g.writeNullField("mobilePhone");
        g.writeNullField("officeLocation");
        g.writeStringField("preferredLanguage", u.isGuest() ? null : "en-US");
        g.writeStringField("surname", u.surname());
        g.writeStringField("userPrincipalName", u.userPrincipalName());
        g.writeStringField("id", u.id());
        g.writeEndObject();
    }

    public static ObjectNode groupFull(Group g, Tenant t) {
        ObjectNode o = Json.obj();
        o.put("@odata.id", "https://graph.microsoft.com/v2/" + t.id() + "/directoryObjects/" + g.id()
                + "/Microsoft.DirectoryServices.Group");
        o.put("id", g.id());
        o.put("organizationId", t.id());
        o.putNull("deletedDateTime");
        o.putNull("classification");
        o.put("createdDateTime", g.createdDateTime());
        o.set("creationOptions", Json.arr());
        o.put("description", g.description());
        o.put("displayName", g.displayName());
        o.putNull("expirationDateTime");
        o.set("groupTypes", Json.arr(g.groupTypes()));
        o.put("isAssignableToRole", g.isAssignableToRole());
        o.put("mail", g.mailEnabled() ? g.mailNickname() + "@" + t.domain() : null);
        o.put("mailEnabled", g.mailEnabled());
        o.put("mailNickname", g.mailNickname());
        o.put("membershipRule", g.membershipRule());
        o.put("membershipRuleProcessingState", g.dynamic() ? "On" : null);
        if (g.onPremisesSyncEnabled() == null) {
            o.putNull("onPremisesSyncEnabled");
        } else {
            o.put("onPremisesSyncEnabled", g.onPremisesSyncEnabled());
        }
        o.set("proxyAddresses", Json.arr());
        o.putNull("renewedDateTime");
        o.put("securityEnabled", g.securityEnabled());
        o.put("securityIdentifier", "S-1-12-1-" + (g.id().hashCode() & 0x7fffffff));
        o.put("visibility", g.groupTypes().contains("Unified") ? "Private" : null);
        return o;
    }

    public static ObjectNode servicePrincipalFull(ServicePrincipal s) {
        ObjectNode o = Json.obj();
        o.put("id", s.id());
        o.putNull("deletedDateTime");
        o.put("accountEnabled", s.accountEnabled());
        o.set("alternativeNames", Json.arr());
        o.put("appDisplayName", s.displayName());
        o.put("appId", s.appId());
        o.put("appOwnerOrganizationId", s.appOwnerOrganizationId());
        o.put("appRoleAssignmentRequired", false);
        o.put("displayName", s.displayName());
        o.set("servicePrincipalNames", Json.arr(s.appId()));
        o.put("servicePrincipalType", s.servicePrincipalType());
        o.put("signInAudience", "AzureADMyOrg");
        o.set("tags", Json.arr());
        return o;
    }

    /** Every property of a directory object, without @odata.type. */
    public static ObjectNode full(DirectoryObject d, Tenant t) {
        if (d instanceof User u) {
            return userFull(u);
        }
        if (d instanceof Group g) {
            return groupFull(g, t);
        }
        return servicePrincipalFull((ServicePrincipal) d);
    }

    /** Full rendering with @odata.type first (for mixed-type collections). */
    public static ObjectNode directoryObjectFull(DirectoryObject d, Tenant t) {
        ObjectNode o = Json.obj();
        o.put("@odata.type", d.odataType());
        o.setAll(full(d, t));
        return o;
    }

    /** Default projection for a directory object (users: Graph's default set; others: everything). */
    public static ObjectNode directoryObject(DirectoryObject d, Tenant t, Collection<String> select, boolean withType) {
        if (select == null && d instanceof User u) {
            return userDefault(u, withType);
        }
        ObjectNode full = withType ? directoryObjectFull(d, t) : full(d, t);
        if (select != null) {
            return project(full, select, withType);
        }
        return full;
    }

    public static ObjectNode project(ObjectNode full, Collection<String> props, boolean keepType) {
        ObjectNode o = Json.obj();
        if (keepType && full.has("@odata.type")) {
            o.set("@odata.type", full.get("@odata.type"));
        }
        for (String p : props) {
            JsonNode v = full.get(p);
            if (v != null) {
                o.set(p, v);
            }
        }
        if (!o.has("id") && full.has("id") && props.contains("id")) {
            o.set("id", full.get("id"));
        }
        return o;
    }

    // ---- role assignments ------------------------------------------------------------------------------------

    public static ObjectNode roleAssignment(RoleAssignment ra, Tenant t, boolean expandPrincipal) {
        ObjectNode o = Json.obj();
        o.put("id", ra.id());
        o.put("principalId", ra.principalId());
        o.put("resourceScope", ra.directoryScopeId());
        o.put("directoryScopeId", ra.directoryScopeId());
        o.put("roleDefinitionId", ra.roleDefinitionId());
        if (expandPrincipal) {
            DirectoryObject p = t.object(ra.principalId());
            o.set("principal", p == null ? Json.F.nullNode() : principal(p, t));
        }
        return o;
    }

    // ---- PIM eligibility ---------------------------------------------------------------------------------------

    /** unifiedRoleEligibilityScheduleInstance, properties in the order of Microsoft's list example. */
    public static ObjectNode roleEligibility(RoleEligibility e, Tenant t, boolean expandPrincipal) {
        ObjectNode o = Json.obj();
        o.put("id", e.id());
        o.put("principalId", e.principalId());
        o.put("roleDefinitionId", e.roleDefinitionId());
        o.put("directoryScopeId", e.directoryScopeId());
        o.put("appScopeId", e.appScopeId());
        o.put("startDateTime", e.startDateTime());
        o.put("endDateTime", e.endDateTime());
        o.put("memberType", e.memberType());
        o.put("roleEligibilityScheduleId", e.roleEligibilityScheduleId());
        if (expandPrincipal) {
            DirectoryObject p = t.object(e.principalId());
            o.set("principal", p == null ? Json.F.nullNode() : principal(p, t));
        }
        return o;
    }

    /** privilegedAccessGroupEligibilityScheduleInstance, properties in the order of Microsoft's list example. */
    public static ObjectNode groupEligibility(GroupEligibility e, Tenant t, boolean expandPrincipal, boolean expandGroup) {
        ObjectNode o = Json.obj();
        o.put("id", e.id());
        o.put("startDateTime", e.startDateTime());
        o.put("endDateTime", e.endDateTime());
        o.put("accessId", e.accessId());
        o.put("principalId", e.principalId());
        o.put("groupId", e.groupId());
        o.put("memberType", e.memberType());
        o.put("eligibilityScheduleId", e.eligibilityScheduleId());
        if (expandPrincipal) {
            DirectoryObject p = t.object(e.principalId());
            o.set("principal", p == null ? Json.F.nullNode() : principal(p, t));
        }
        if (expandGroup) {
            Group g = t.group(e.groupId());
            o.set("group", g == null ? Json.F.nullNode() : groupFull(g, t));
        }
        return o;
    }

    /** An expanded principal as the role-assignments example shows it (users: a few properties plus the default set). */
    static ObjectNode principal(DirectoryObject p, Tenant t) {
        ObjectNode full = directoryObjectFull(p, t);
        if (p instanceof User) {
            ObjectNode o = project(full, List.of("id", "accountEnabled", "displayName", "imAddresses", "mail",
                    "mailNickname", "userType"), true);
            USER_DEFAULT.forEach(k -> {
                if (!o.has(k)) {
                    o.set(k, full.get(k));
                }
            });
            return o;
        }
        return full;
    }

    // ---- tenant-level singletons -------------------------------------------------------------------------------

    public static ObjectNode organization(Tenant t) {
        ObjectNode o = Json.obj();
        o.put("id", t.id());
        o.putNull("deletedDateTime");
        o.set("businessPhones", Json.arr("425-555-0100"));
        o.putNull("city");
        o.putNull("country");
        o.put("countryLetterCode", t.countryLetterCode());
        o.put("createdDateTime", t.createdDateTime());
        o.put("defaultUsageLocation", t.countryLetterCode());
        o.put("displayName", t.displayName());
        o.putNull("isMultipleDataLocationsForServicesEnabled");
        o.set("marketingNotificationEmails", Json.arr());
        o.putNull("onPremisesLastSyncDateTime");
        o.putNull("onPremisesSyncEnabled");
        o.put("partnerTenantType", "ResellerPartnerDelegatedAdmin");
        o.putNull("postalCode");
        o.put("preferredLanguage", "en");
        o.set("securityComplianceNotificationMails", Json.arr());
        o.set("securityComplianceNotificationPhones", Json.arr());
        o.putNull("state");
        o.putNull("street");
        o.set("technicalNotificationMails", Json.arr("admin@" + t.domain()));
        o.put("tenantType", "AAD");
        ObjectNode quota = o.putObject("directorySizeQuota");
        quota.put("used", t.users().size() + t.groups().size() + t.servicePrincipals().size());
        quota.put("total", 300000);
        ArrayNode plans = o.putArray("assignedPlans");
        plan(plans, t.createdDateTime(), "Enabled", "AADPremiumService", "41781fb2-bc02-4b7c-bd55-b576c07bb09d");
        plan(plans, t.createdDateTime(), "Enabled", "MultiFactorService", "8a256a2b-b617-496d-b51b-e76466e88db0");
        plan(plans, t.createdDateTime(), "Enabled", "exchange", "113feb6c-3fe4-4440-bddc-54d774bf0318");
        ObjectNode privacy = o.putObject("privacyProfile");
        privacy.put("contactEmail", "");
        privacy.put("statementUrl", "");
        ArrayNode prov = o.putArray("provisionedPlans");
        ObjectNode pp = prov.addObject();
        pp.put("capabilityStatus", "Enabled");
        pp.put("provisioningStatus", "Success");
        pp.put("service", "exchange");
        ArrayNode domains = o.putArray("verifiedDomains");
        String custom = t.customDefaultDomain();
        if (custom != null) {
            ObjectNode c = domains.addObject();
            c.put("capabilities", "Email, OfficeCommunicationsOnline");
            c.put("isDefault", true);
            c.put("isInitial", false);
            c.put("name", custom);
            c.put("type", "Managed");
        }
        ObjectNode d = domains.addObject();
        d.put("capabilities", "Email, OfficeCommunicationsOnline");
        d.put("isDefault", custom == null);
        d.put("isInitial", true);
        d.put("name", t.domain());
        d.put("type", "Managed");
        return o;
    }

    private static void plan(ArrayNode plans, String when, String status, String service, String id) {
        ObjectNode p = plans.addObject();
        p.put("assignedDateTime", when);
        p.put("capabilityStatus", status);
        p.put("service", service);
        p.put("servicePlanId", id);
    }

    public static ObjectNode securityDefaults(Tenant t) {
        ObjectNode o = Json.obj();
        o.put("description", "Security defaults is a set of basic identity security mechanisms recommended by Microsoft. "
                + "When enabled, these recommendations will be automatically enforced in your organization. Administrators "
                + "and users will be better protected from common identity related attacks.");
        o.put("displayName", "Security Defaults");
        o.put("id", "00000000-0000-0000-0000-000000000005");
        o.put("isEnabled", t.securityDefaultsEnabled());
        return o;
    }

    // ---- reports ---------------------------------------------------------------------------------------------------

    public static ObjectNode registrationDetails(User u, Tenant t) {
        ObjectNode o = Json.obj();
        o.put("id", u.id());
        o.put("userPrincipalName", u.userPrincipalName());
        o.put("userDisplayName", u.displayName());
        o.put("isAdmin", t.isAdmin(u.id()));
        o.put("isSsprRegistered", u.ssprRegistered());
        o.put("isSsprEnabled", false);
        o.put("isSsprCapable", false);
        o.put("isMfaRegistered", u.mfaRegistered());
        o.put("isMfaCapable", u.mfaCapable());
        o.put("isPasswordlessCapable", u.passwordlessCapable());
        o.put("lastUpdatedDateTime", u.registrationUpdated());
        o.set("methodsRegistered", Json.arr(u.methodsRegistered()));
        o.put("isSystemPreferredAuthenticationMethodEnabled", true);
        ArrayNode sys = o.putArray("systemPreferredAuthenticationMethods");
        if (u.methodsRegistered().contains("fido2")) {
            sys.add("Fido2");
        } else if (u.methodsRegistered().contains("microsoftAuthenticatorPush")) {
            sys.add("push");
        } else if (u.methodsRegistered().contains("softwareOneTimePasscode")) {
            sys.add("oath");
        } else if (u.methodsRegistered().contains("mobilePhone")) {
            sys.add("sms");
        }
        o.put("userPreferredMethodForSecondaryAuthentication", u.preferredSecondaryMethod());
        o.put("userType", u.userType().toLowerCase(Locale.ROOT));
        return o;
    }

    public static ArrayNode authenticationMethods(User u) {
        ArrayNode a = Json.arr();
        if (u.authenticationMethods() != null) {
            u.authenticationMethods().forEach(m -> a.add(m.deepCopy()));
            return a;
        }
        ObjectNode pw = a.addObject();
        pw.put("@odata.type", "#microsoft.graph.passwordAuthenticationMethod");
        pw.put("id", "28c10230-6103-485e-b985-444c60001490");
        pw.putNull("password");
        pw.put("createdDateTime", u.createdDateTime());
        String when = u.registrationUpdated();
        for (String m : u.methodsRegistered()) {
            ObjectNode o = Json.obj();
            switch (m) {
                case "microsoftAuthenticatorPush", "microsoftAuthenticatorPasswordless" -> {
                    o.put("@odata.type", "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod");
                    o.put("id", methodId(u, m));
                    o.put("displayName", "iPhone 15");
                    o.put("deviceTag", "SoftwareTokenActivated");
                    o.put("phoneAppVersion", "6.8.14");
                    o.put("createdDateTime", when);
                }
                case "softwareOneTimePasscode" -> {
                    o.put("@odata.type", "#microsoft.graph.softwareOathAuthenticationMethod");
                    o.put("id", methodId(u, m));
                    o.putNull("secretKey");
                }
                case "mobilePhone" -> {
                    o.put("@odata.type", "#microsoft.graph.phoneAuthenticationMethod");
                    o.put("id", "3179e48a-750b-4051-897c-87b9720928f7");
                    o.put("phoneNumber", "+1 2065550" + String.format("%03d", Math.abs(u.id().hashCode()) % 1000));
                    o.put("phoneType", "mobile");
                    o.put("smsSignInState", "notAllowedByPolicy");
                }
                case "email" -> {
                    o.put("@odata.type", "#microsoft.graph.emailAuthenticationMethod");
                    o.put("id", "3ddfcfc8-9383-446f-83cc-3ab9be4be18f");
                    o.put("emailAddress", "recovery+" + u.userPrincipalName());
                }
                case "fido2" -> {
                    o.put("@odata.type", "#microsoft.graph.fido2AuthenticationMethod");
                    o.put("id", methodId(u, m));
                    o.put("displayName", "Security key");
                    o.put("creationDateTime", when);
                    o.put("createdDateTime", when);
                    o.put("aaGuid", "2fc0579f-8113-47ea-b116-555a8db9202a");
                    o.put("model", "NFC key");
                    o.set("attestationCertificates", Json.arr("dbe793efdf1945e2df25d93653a1e8a3268a9075"));
                    o.put("attestationLevel", "attested");
                }
                case "windowsHelloForBusiness" -> {
                    o.put("@odata.type", "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod");
                    o.put("id", methodId(u, m));
                    o.put("displayName", u.givenName() == null ? "Laptop" : u.givenName() + "'s laptop");
                    o.put("createdDateTime", when);
                    o.put("keyStrength", "normal");
                }
                default -> {
                    continue;
                }
            }
            a.add(o);
        }
        return a;
    }

    private static String methodId(User u, String method) {
        return UUID.nameUUIDFromBytes((u.id() + "/" + method).getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static ObjectNode signIn(SignIn s, Tenant t, boolean beta) {
        ObjectNode o = Json.obj();
        o.put("id", s.id());
        o.put("createdDateTime", s.createdDateTime());
        o.put("userDisplayName", s.userDisplayName());
        o.put("userPrincipalName", s.userPrincipalName());
        o.put("userId", s.userId());
        o.put("appId", s.appId());
        o.put("appDisplayName", s.appDisplayName());
        o.put("ipAddress", s.ipAddress());
        o.put("clientAppUsed", s.clientAppUsed());
        String corr = UUID.nameUUIDFromBytes(("corr" + s.id()).getBytes(StandardCharsets.UTF_8)).toString();
        if (beta) {
            o.put("userAgent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0");
        }
        o.put("correlationId", corr);
        o.put("conditionalAccessStatus", s.conditionalAccessStatus());
        if (beta) {
            o.put("originalRequestId", UUID.nameUUIDFromBytes(("req" + s.id()).getBytes(StandardCharsets.UTF_8)).toString());
            o.put("authenticationProtocol", "none");
            o.put("incomingTokenType", "none");
        }
        o.put("isInteractive", s.isInteractive());
        if (beta) {
            o.put("homeTenantId", t.id());
            o.put("homeTenantName", "");
            o.put("isTenantRestricted", false);
            o.put("tokenIssuerName", "");
            o.put("tokenIssuerType", "AzureAD");
            o.put("processingTimeInMilliseconds", 120);
        }
        o.put("riskDetail", "none");
        o.put("riskLevelAggregated", "none");
        o.put("riskLevelDuringSignIn", "none");
        o.put("riskState", "none");
        o.set(beta ? "riskEventTypes_v2" : "riskEventTypes", Json.arr());
        o.put("resourceDisplayName", "Microsoft Graph");
        o.put("resourceId", "00000003-0000-0000-c000-000000000000");
        if (beta) {
            o.put("resourceTenantId", t.id());
            o.set("authenticationMethodsUsed", "multiFactorAuthentication".equals(s.authenticationRequirement())
                    ? Json.arr("Password", "Mobile app notification") : Json.arr("Password"));
            o.put("authenticationRequirement", s.authenticationRequirement());
            o.put("uniqueTokenIdentifier", java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(s.id().getBytes(StandardCharsets.UTF_8)));
            o.put("signInIdentifier", s.userPrincipalName());
            o.set("signInEventTypes", Json.arr(s.isInteractive() ? "interactiveUser" : "nonInteractiveUser"));
            if (s.servicePrincipalId() != null) {
                o.set("signInEventTypes", Json.arr(io.mfagov.graphsim.model.SignIn.SERVICE_PRINCIPAL));
                o.putNull("signInIdentifier");
                o.put("servicePrincipalId", s.servicePrincipalId());
                o.put("servicePrincipalName", s.servicePrincipalName());
            } else {
                o.put("servicePrincipalId", "");
            }
            o.put("userType", s.userType());
            o.put("flaggedForReview", false);
            o.put("autonomousSystemNumber", 8075);
            o.put("crossTenantAccessType", "none");
        }
        ObjectNode status = o.putObject("status");
        status.put("errorCode", s.errorCode());
        if (s.errorCode() == 0) {
            status.putNull("failureReason");
            status.putNull("additionalDetails");
        } else {
            status.put("failureReason", s.errorCode() == 50074
                    ? "Strong Authentication is required." : "Error validating credentials due to invalid username or password.");
            status.put("additionalDetails", "Simulated failure.");
        }
        ObjectNode dev = o.putObject("deviceDetail");
        dev.put("deviceId", "");
        dev.putNull("displayName");
        dev.put("operatingSystem", "Windows 10");
        dev.put("browser", "Edge 131.0.0");
        dev.putNull("isCompliant");
        dev.putNull("isManaged");
        dev.putNull("trustType");
        ObjectNode loc = o.putObject("location");
        loc.putNull("city");
        loc.putNull("state");
        loc.put("countryOrRegion", s.countryOrRegion());
        ObjectNode geo = loc.putObject("geoCoordinates");
        if (!beta) { // the beta example answers an empty object
            geo.putNull("altitude");
            geo.putNull("latitude");
            geo.putNull("longitude");
        }
        ArrayNode applied = o.putArray("appliedConditionalAccessPolicies");
        for (TenantFixture.AppliedPolicy ap : s.appliedPolicies()) {
            ObjectNode a = applied.addObject();
            a.put("id", ap.id);
            a.put("displayName", ap.displayName);
            a.set("enforcedGrantControls", Json.arr(ap.enforcedGrantControls == null ? List.of() : ap.enforcedGrantControls));
            a.set("enforcedSessionControls", Json.arr());
            a.put("result", ap.result == null ? "notApplied" : ap.result);
        }
        if (beta) {
            ArrayNode apd = o.putArray("authenticationProcessingDetails");
            ObjectNode kv = apd.addObject();
            kv.put("key", "Login Hint Present");
            kv.put("value", "True");
            ArrayNode nld = o.putArray("networkLocationDetails");
            ObjectNode n = nld.addObject();
            n.put("networkType", "none");
            n.set("networkNames", Json.arr());
            ArrayNode ad = o.putArray("authenticationDetails");
            ObjectNode step = ad.addObject();
            step.put("authenticationStepDateTime", s.createdDateTime());
            step.put("authenticationMethod", "Password");
            step.put("authenticationMethodDetail", "Password in the cloud");
            step.put("succeeded", s.errorCode() == 0);
            step.put("authenticationStepResultDetail", s.errorCode() == 0 ? "Correct password" : "Invalid username or password");
            step.put("authenticationStepRequirement", "Primary authentication");
            if ("multiFactorAuthentication".equals(s.authenticationRequirement())) {
                ObjectNode mfa = ad.addObject();
                mfa.put("authenticationStepDateTime", s.createdDateTime());
                mfa.put("authenticationMethod", "Mobile app notification");
                mfa.putNull("authenticationMethodDetail");
                mfa.put("succeeded", s.errorCode() == 0);
                mfa.put("authenticationStepResultDetail", "MFA successfully completed");
                mfa.put("authenticationStepRequirement", "Secondary authentication");
            }
            ArrayNode arp = o.putArray("authenticationRequirementPolicies");
            if ("multiFactorAuthentication".equals(s.authenticationRequirement())) {
                ObjectNode p = arp.addObject();
                p.put("requirementProvider", t.securityDefaultsEnabled() ? "securityDefaults" : "conditionalAccess");
                p.put("detail", t.securityDefaultsEnabled() ? "Security defaults" : "Conditional Access");
            }
            o.set("sessionLifetimePolicies", Json.arr());
        }
        return o;
    }
}
