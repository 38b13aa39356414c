package io.mfagov.graphsim.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One tenant as written in a fixture file (JSON). The format is documented in the module README.
 * Credentials in fixtures are SIMULATOR-ONLY values: they authenticate against the simulator and nothing else.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class TenantFixture {
    /**
     * Granted by default: the read set the scanner needs plus the three write permissions of exception enforcement
     * (so demos can remediate); a test takes them away with {@code SimulatorAdmin.setGrantedPermissions}.
     */
    public static final List<String> DEFAULT_GRANTED_PERMISSIONS = List.of("Policy.Read.All",
            "Policy.ReadWrite.ConditionalAccess", "Directory.Read.All", "GroupMember.Read.All",
            "RoleManagement.Read.Directory", "AuditLog.Read.All", "UserAuthenticationMethod.Read.All",
            "GroupMember.ReadWrite.All", "RoleManagement.ReadWrite.Directory",
            "RoleEligibilitySchedule.Read.Directory", "PrivilegedEligibilitySchedule.Read.AzureADGroup");

    /** Optional free text: what this tenant demonstrates. */
    public String description;
    public String tenantId;
    public String displayName;
    /** Initial verified domain, e.g. {@code contoso.onmicrosoft.com}. */
    public String domain;
    public String createdDateTime;
    public String countryLetterCode;
    public SimulatorApp app;
    public boolean securityDefaultsEnabled;
    public List<UserFixture> users = new ArrayList<>();
    public List<GroupFixture> groups = new ArrayList<>();
    public List<ServicePrincipalFixture> servicePrincipals = new ArrayList<>();
    public List<RoleAssignmentFixture> roleAssignments = new ArrayList<>();
    /** Graph-shaped namedLocation objects (ipNamedLocation / countryNamedLocation). */
    public List<ObjectNode> namedLocations = new ArrayList<>();
    /** Graph-shaped conditionalAccessPolicy objects; missing properties are filled as Graph would answer. */
    public List<ObjectNode> conditionalAccessPolicies = new ArrayList<>();
    public List<SignInFixture> signIns = new ArrayList<>();
    /**
     * The tenant's custom authentication strengths (Graph-shaped authenticationStrengthPolicy objects; id required,
     * missing properties filled as Graph answers). The three built-in strengths are always there.
     */
    public List<ObjectNode> authenticationStrengthPolicies = new ArrayList<>();
    /**
     * false (default): a CA policy's {@code grantControls.authenticationStrength} that names a known strength
     * ({"id": …}, with or without other properties) is completed from it, as Graph expands the relationship.
     * true: every policy's strength is served exactly as the fixture gives it (e.g. only {"id": …}, or id and
     * displayName without requirementsSatisfied): a client must look the strength up itself.
     */
    public boolean authenticationStrengthAsGiven;
    /**
     * Application permissions (app roles) granted to the simulated app in this tenant; the token's {@code roles} claim
     * lists exactly these and Graph's write endpoints check them. Null = {@link #DEFAULT_GRANTED_PERMISSIONS}.
     */
    public List<String> grantedPermissions;
    /** PIM eligible role assignments (GET /roleManagement/directory/roleEligibilityScheduleInstances). */
    public List<RoleEligibilityFixture> roleEligibilities = new ArrayList<>();
    /** PIM for Groups eligible memberships/ownerships (GET /identityGovernance/privilegedAccess/group/eligibilityScheduleInstances). */
    public List<GroupEligibilityFixture> groupEligibilities = new ArrayList<>();
    /**
     * Whether the tenant has Microsoft Entra ID P2 or Microsoft Entra ID Governance (default true). false: both PIM
     * endpoints answer 400 {@code AadPremiumLicenseRequired}, as Graph does for a tenant without the licence.
     */
    public boolean pimLicensed = true;
    /**
     * Whether the tenant has Microsoft Entra ID P1 or P2 (default true). false: the registration report and the sign-in
     * logs answer 403 {@code Authentication_RequestFromNonPremiumTenantOrB2CTenant}, as Graph does without the licence.
     */
    public boolean premiumLicensed = true;

    /**
     * App registrations whose home tenant is this one (multi-tenant apps such as an MSP's scanner app): client id,
     * secrets with end dates, certificates (PEM), federated identity credentials. SIMULATOR-ONLY secret values.
     */
    public List<ApplicationFixture> applications = new ArrayList<>();
    /**
     * Admin consent in this tenant: client id → the application permissions granted to it (its service principal's
     * app role assignments, the token's roles). An app neither consented here, nor registered here, nor this
     * tenant's own {@code app}, nor the MSP app, is not present: its token request fails with AADSTS700016.
     */
    public java.util.Map<String, List<String>> consents = new java.util.LinkedHashMap<>();

    /**
     * Present on a partner (MSP) tenant: its contracts and GDAP customers/relationships, Graph-shaped (see README).
     * A tenant without it answers empty lists.
     */
    public PartnerFixture partner;
    /**
     * A custom verified domain that is the tenant's default (organization verifiedDomains: it isDefault, the
     * onmicrosoft.com {@code domain} stays isInitial); null = the initial domain is the default.
     */
    public String defaultDomain;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class PartnerFixture {
        /** contract objects: customerId (required), contractType (default ResellerPartner), displayName, defaultDomainName, id. */
        public List<ObjectNode> contracts = new ArrayList<>();
        /** delegatedAdminCustomer objects (tenantId, displayName); null = one per customer of the relationships. */
        public List<ObjectNode> delegatedAdminCustomers;
        /**
         * delegatedAdminRelationship objects: id and customer.tenantId required; status (default active), duration
         * (P730D), autoExtendDuration (PT0S), accessDetails.unifiedRoles, createdDateTime, activatedDateTime,
         * endDateTime (default activated + duration; relative times "-400d"/"+20d" allowed), lastModifiedDateTime.
         */
        public List<ObjectNode> delegatedAdminRelationships = new ArrayList<>();
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class ApplicationFixture {
        public String clientId;
        public String displayName;
        public List<SecretFixture> secrets = new ArrayList<>();
        /** PEM certificates (public part; a PEM holding key and certificate also works, only the certificate is read). */
        public List<String> certificates = new ArrayList<>();
        public List<FederatedCredentialFixture> federatedCredentials = new ArrayList<>();

        public ApplicationFixture() {
        }

        public ApplicationFixture(String clientId, String displayName) {
            this.clientId = clientId;
            this.displayName = displayName;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class SecretFixture {
        /** SIMULATOR-ONLY secret value. */
        public String value;
        /** ISO-8601 instant or relative ("-1d" = expired yesterday); null = never expires. */
        public String endDateTime;

        public SecretFixture() {
        }

        public SecretFixture(String value, String endDateTime) {
            this.value = value;
            this.endDateTime = endDateTime;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class FederatedCredentialFixture {
        public String name;
        public String issuer;
        public String subject;
        /** Default ["api://AzureADTokenExchange"]. */
        public List<String> audiences;
    }

    /** The tenant's (simulated) app registration the scanner authenticates as: SIMULATOR-ONLY credentials. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class SimulatorApp {
        public String clientId;
        /** Simulator-only client secret (never a real secret). */
        public String simulatorClientSecret;

        public SimulatorApp() {
        }

        public SimulatorApp(String clientId, String simulatorClientSecret) {
            this.clientId = clientId;
            this.simulatorClientSecret = simulatorClientSecret;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class UserFixture {
        public String id;
        public String userPrincipalName;
        public String displayName;
        public String givenName;
        public String surname;
        public String mail;
        public String jobTitle;
        /** Member or Guest. */
        public String userType = "Member";
        public Boolean accountEnabled = Boolean.TRUE;
        /** null for ordinary accounts, "Invitation" for B2B guests. */
        public String creationType;
        /** null, "PendingAcceptance" or "Accepted" for guests. */
        public String externalUserState;
        public String createdDateTime;
        public Boolean onPremisesSyncEnabled;
        /** Registration details (reports/authenticationMethods/userRegistrationDetails). */
        public Registration registration;
        /** Optional explicit Graph authenticationMethod objects; otherwise derived from registration. */
        public List<ObjectNode> authenticationMethods;
        /** Optional free text (e.g. "documented break-glass account"); not served by Graph. */
        public String note;
        /** Legacy per-user MFA state: disabled (default), enabled or enforced. */
        public String perUserMfaState;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Registration {
        /** e.g. microsoftAuthenticatorPush, softwareOneTimePasscode, mobilePhone, fido2, windowsHelloForBusiness, email. */
        public List<String> methodsRegistered = new ArrayList<>();
        /** Defaults: derived from methodsRegistered. */
        public Boolean isMfaRegistered;
        public Boolean isMfaCapable;
        public Boolean isPasswordlessCapable;
        public Boolean isSsprRegistered;
        public String userPreferredMethodForSecondaryAuthentication;
        public String lastUpdatedDateTime;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class GroupFixture {
        public String id;
        public String displayName;
        public String description;
        public Boolean securityEnabled = Boolean.TRUE;
        public Boolean mailEnabled = Boolean.FALSE;
        public String mailNickname;
        public Boolean isAssignableToRole = Boolean.FALSE;
        public List<String> groupTypes = new ArrayList<>();
        /** true: synchronised from on-premises AD (Graph refuses membership edits); null (default): cloud-only. */
        public Boolean onPremisesSyncEnabled;
        /** The rule of a dynamic group (groupTypes contains "DynamicMembership"); null for assigned groups. */
        public String membershipRule;
        public String createdDateTime;
        /** Direct members: ids of users, groups (nesting; cycles allowed) and service principals. */
        public List<String> members = new ArrayList<>();
        public String note;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class ServicePrincipalFixture {
        public String id;
        public String appId;
        public String displayName;
        public String servicePrincipalType = "Application";
        public Boolean accountEnabled = Boolean.TRUE;
        public String appOwnerOrganizationId;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class RoleAssignmentFixture {
        public String id;
        /** Built-in role template id (= roleDefinitionId for built-in roles, as CA's include/excludeRoles use). */
        public String roleDefinitionId;
        public String principalId;
        /** "/" = tenant-wide; "/administrativeUnits/{id}" = AU-scoped (CA ignores those). */
        public String directoryScopeId = "/";

        public RoleAssignmentFixture() {
        }

        public RoleAssignmentFixture(String roleDefinitionId, String principalId, String directoryScopeId) {
            this.roleDefinitionId = roleDefinitionId;
            this.principalId = principalId;
            this.directoryScopeId = directoryScopeId;
        }
    }

    /** An eligible (PIM) role assignment; the simulator fills the remaining unifiedRoleEligibilityScheduleInstance properties. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class RoleEligibilityFixture {
        /** Default: derived from role, principal and scope, Graph-looking ("…-1-e"). */
        public String id;
        public String principalId;
        /** Built-in role template id (= roleDefinitionId for built-in roles). */
        public String roleDefinitionId;
        /** "/" = tenant-wide; "/administrativeUnits/{id}" = AU-scoped. */
        public String directoryScopeId = "/";
        public String appScopeId;
        /** Default: the tenant's createdDateTime. */
        public String startDateTime;
        /** null = permanently eligible (no expiration). */
        public String endDateTime;
        /** Direct (default), Group or Inherited. */
        public String memberType;
        /** Default: a GUID derived from the instance id. */
        public String roleEligibilityScheduleId;

        public RoleEligibilityFixture() {
        }

        public RoleEligibilityFixture(String roleDefinitionId, String principalId) {
            this.roleDefinitionId = roleDefinitionId;
            this.principalId = principalId;
        }
    }

    /** A PIM for Groups eligibility; the simulator fills the remaining privilegedAccessGroupEligibilityScheduleInstance properties. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class GroupEligibilityFixture {
        /** Default: "{groupId}_{accessId}_{guid}" as in Microsoft's example. */
        public String id;
        public String groupId;
        public String principalId;
        /** member (default) or owner. */
        public String accessId = "member";
        /** Direct (default, as Microsoft's example answers) or Group. */
        public String memberType;
        /** Default: the tenant's createdDateTime. */
        public String startDateTime;
        /** null = permanently eligible. */
        public String endDateTime;
        /** Default: the instance id. */
        public String eligibilityScheduleId;

        public GroupEligibilityFixture() {
        }

        public GroupEligibilityFixture(String groupId, String principalId, String accessId) {
            this.groupId = groupId;
            this.principalId = principalId;
            this.accessId = accessId;
        }
    }

    /** A sign-in event; the simulator fills the remaining v1.0 / beta properties. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class SignInFixture {
        public String id;
        /** An ISO-8601 instant, or relative to the simulator clock at load: "-3d", "-2h", "-90m", "-1d6h", "now". */
        public String createdDateTime;
        public String userId;
        /** A service principal sign-in (beta, signInEventTypes servicePrincipal): userId stays empty. */
        public String servicePrincipalId;
        /** Default: the display name of the tenant's service principal with servicePrincipalId. */
        public String servicePrincipalName;
        public String appId;
        public String appDisplayName;
        public String ipAddress;
        /** Browser, Mobile Apps and Desktop clients, Exchange ActiveSync, ... */
        public String clientAppUsed;
        public Boolean isInteractive;
        /** success, failure, notApplied */
        public String conditionalAccessStatus;
        /** beta only: singleFactorAuthentication or multiFactorAuthentication */
        public String authenticationRequirement;
        public Integer errorCode;
        public String countryOrRegion;
        /** ids of CA policies applied, with result (success, failure, notApplied, notEnabled, reportOnlySuccess ...) */
        public List<AppliedPolicy> appliedConditionalAccessPolicies;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class AppliedPolicy {
        public String id;
        public String displayName;
        public String result;
        public List<String> enforcedGrantControls;

        @Override
        public boolean equals(Object o) {
            return o instanceof AppliedPolicy a && java.util.Objects.equals(id, a.id) && java.util.Objects.equals(displayName, a.displayName)
                    && java.util.Objects.equals(result, a.result) && java.util.Objects.equals(enforcedGrantControls, a.enforcedGrantControls);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(id, displayName, result, enforcedGrantControls);
        }
    }
}
