package io.mfagov.scanner.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one table of the application permissions the scanner uses: each read of a scan (docs/scan-semantics.md
 * sections 14 and 15) and each write of the lifecycle (docs/lifecycle.md), with the permissions that allow it —
 * any one of them suffices, the first is the least privileged one to grant. The access check compares it with the
 * {@code roles} claim of the tenant's app-only token; nothing else decides what a token may do.
 *
 * <ul>
 *   <li>A <b>required</b> read missing: the scan would be wrong without it → FAILED, MISSING_PERMISSIONS, no Graph
 *       read at all.</li>
 *   <li>An <b>optional</b> read missing: the read is skipped (not attempted), listed in {@code disabledReads}, the
 *       scan stays COMPLETE and says what it did not read (notes, missing signals).</li>
 *   <li>A <b>write</b> missing: the lifecycle cannot enforce ({@code missingWritePermissions}); a scan is unaffected.</li>
 * </ul>
 */
public final class PermissionTable {

    /** One read or write and the permissions that allow it (any one). */
    public record Entry(String key, String what, List<String> anyOf, Use use) {
        public boolean allowedBy(Collection<String> roles) {
            return anyOf.stream().anyMatch(roles::contains);
        }

        /** The permission to grant: the least privileged one. */
        public String toGrant() {
            return anyOf.get(0);
        }
    }

    public enum Use {
        REQUIRED_READ, OPTIONAL_READ, WRITE, ROLE_ASSIGNABLE_WRITE
    }

    /** Read keys of the optional reads (what {@code disabledReads} lists). */
    public static final String PIM_ROLES = "roleEligibilityScheduleInstances";
    public static final String PIM_GROUPS = "groupEligibilityScheduleInstances";
    public static final String REGISTRATION = "userRegistrationDetails";
    public static final String SIGN_INS = "signIns";

    public static final List<Entry> READS = List.of(
            new Entry("conditionalAccessPolicies", "GET /identity/conditionalAccess/policies",
                    List.of("Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"), Use.REQUIRED_READ),
            new Entry("namedLocations", "GET /identity/conditionalAccess/namedLocations",
                    List.of("Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"), Use.REQUIRED_READ),
            new Entry("securityDefaults", "GET /policies/identitySecurityDefaultsEnforcementPolicy",
                    List.of("Policy.Read.All", "Policy.ReadWrite.SecurityDefaults"), Use.REQUIRED_READ),
            new Entry("authenticationStrengthPolicies", "GET /policies/authenticationStrengthPolicies",
                    List.of("Policy.Read.All", "Policy.Read.AuthenticationMethod", "Policy.ReadWrite.AuthenticationMethod"),
                    Use.REQUIRED_READ),
            new Entry("perUserMfa", "beta GET /users/{id}/authentication/requirements",
                    List.of("Policy.Read.All", "Policy.ReadWrite.AuthenticationMethod"), Use.REQUIRED_READ),
            new Entry("users", "GET /users?$filter=accountEnabled eq true",
                    List.of("Directory.Read.All", "User.Read.All", "Directory.ReadWrite.All"), Use.REQUIRED_READ),
            new Entry("directoryObjects", "POST /directoryObjects/getByIds",
                    List.of("Directory.Read.All", "Directory.ReadWrite.All"), Use.REQUIRED_READ),
            new Entry("transitiveMembers", "GET /groups/{id}/transitiveMembers",
                    List.of("Directory.Read.All", "GroupMember.Read.All", "Group.Read.All", "Directory.ReadWrite.All"),
                    Use.REQUIRED_READ),
            new Entry("roleAssignments", "GET /roleManagement/directory/roleAssignments?$expand=principal",
                    List.of("Directory.Read.All", "RoleManagement.Read.Directory", "RoleManagement.Read.All",
                            "RoleManagement.ReadWrite.Directory"), Use.REQUIRED_READ),
            new Entry("servicePrincipals", "GET /servicePrincipals?$filter=appId in (…)",
                    List.of("Directory.Read.All", "Application.Read.All", "Directory.ReadWrite.All"), Use.REQUIRED_READ),
            new Entry(PIM_ROLES, "GET /roleManagement/directory/roleEligibilityScheduleInstances (PIM roles)",
                    List.of("RoleEligibilitySchedule.Read.Directory", "RoleManagement.Read.Directory",
                            "RoleManagement.Read.All", "RoleEligibilitySchedule.ReadWrite.Directory",
                            "RoleManagement.ReadWrite.Directory"), Use.OPTIONAL_READ),
            new Entry(PIM_GROUPS, "GET /identityGovernance/privilegedAccess/group/eligibilityScheduleInstances (PIM for Groups)",
                    List.of("PrivilegedEligibilitySchedule.Read.AzureADGroup",
                            "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup"), Use.OPTIONAL_READ),
            new Entry(REGISTRATION, "GET /reports/authenticationMethods/userRegistrationDetails (MFA registration)",
                    List.of("AuditLog.Read.All"), Use.OPTIONAL_READ),
            new Entry(SIGN_INS, "beta GET /auditLogs/signIns (sign-in evidence)",
                    List.of("AuditLog.Read.All"), Use.OPTIONAL_READ));

    public static final List<Entry> WRITES = List.of(
            new Entry("conditionalAccessPolicyRead", "GET /identity/conditionalAccess/policies/{id} (before and after a write)",
                    List.of("Policy.Read.All"), Use.WRITE),
            new Entry("conditionalAccessPolicyPatch", "PATCH /identity/conditionalAccess/policies/{id} (exclude lists)",
                    List.of("Policy.ReadWrite.ConditionalAccess"), Use.WRITE),
            new Entry("groupMembers", "DELETE/POST /groups/{id}/members/$ref (group memberships)",
                    List.of("GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"), Use.WRITE),
            new Entry("roleAssignableGroupMembers", "the same on a role-assignable group",
                    List.of("RoleManagement.ReadWrite.Directory"), Use.ROLE_ASSIGNABLE_WRITE));

    /**
     * Discovery's reads in the partner (MSP) tenant, and the organization read of each customer (current name,
     * default domain). Contracts and relationships are both required for a COMPLETE discovery.
     */
    public static final String CONTRACTS = "contracts";
    public static final String GDAP_CUSTOMERS = "delegatedAdminCustomers";
    public static final String GDAP_RELATIONSHIPS = "delegatedAdminRelationships";
    public static final String ORGANIZATION = "organization";

    public static final List<Entry> DISCOVERY = List.of(
            new Entry(CONTRACTS, "GET /contracts (partner tenant)",
                    List.of("Directory.Read.All", "Directory.ReadWrite.All"), Use.REQUIRED_READ),
            new Entry(GDAP_CUSTOMERS, "GET /tenantRelationships/delegatedAdminCustomers (partner tenant)",
                    List.of("DelegatedAdminRelationship.Read.All", "DelegatedAdminRelationship.ReadWrite.All"),
                    Use.REQUIRED_READ),
            new Entry(GDAP_RELATIONSHIPS, "GET /tenantRelationships/delegatedAdminRelationships (partner tenant)",
                    List.of("DelegatedAdminRelationship.Read.All", "DelegatedAdminRelationship.ReadWrite.All"),
                    Use.REQUIRED_READ),
            new Entry(ORGANIZATION, "GET /organization (each customer: name, default domain)",
                    List.of("Organization.Read.All", "Directory.Read.All", "Organization.ReadWrite.All",
                            "Directory.ReadWrite.All"), Use.OPTIONAL_READ));

    /** The discovery entry of a key. */
    public static Entry discovery(String key) {
        return DISCOVERY.stream().filter(e -> e.key().equals(key)).findFirst().orElseThrow();
    }

    private PermissionTable() {
    }

    /** What a token with these roles may do. */
    public record Assessment(List<String> missingRequired, List<String> missingOptional, List<String> disabledReads,
                             List<String> missingWrites) {
        /** Scan permissions missing, required first. */
        public List<String> missingPermissions() {
            Set<String> out = new LinkedHashSet<>(missingRequired);
            out.addAll(missingOptional);
            return List.copyOf(out);
        }

        public boolean scanBlocked() {
            return !missingRequired.isEmpty();
        }
    }

    /**
     * The reads and writes these roles allow. Missing permissions are named by the least privileged one of each entry
     * not allowed, once; role-assignable writes are not counted (only some groups need them; checked at the write).
     */
    public static Assessment assess(Collection<String> roles) {
        Set<String> required = new LinkedHashSet<>();
        Set<String> optional = new LinkedHashSet<>();
        List<String> disabled = new ArrayList<>();
        for (Entry e : READS) {
            if (e.allowedBy(roles)) {
                continue;
            }
            if (e.use() == Use.REQUIRED_READ) {
                required.add(e.toGrant());
            } else {
                optional.add(e.toGrant());
                disabled.add(e.key());
            }
        }
        optional.removeAll(required);
        return new Assessment(List.copyOf(required), List.copyOf(optional), List.copyOf(disabled),
                missingWrites(roles, false));
    }

    /** The write permissions missing for the lifecycle's removals (with a role-assignable group's if asked). */
    public static List<String> missingWrites(Collection<String> roles, boolean roleAssignable) {
        Set<String> out = new LinkedHashSet<>();
        for (Entry e : WRITES) {
            if (e.use() == Use.ROLE_ASSIGNABLE_WRITE && !roleAssignable) {
                continue;
            }
            if (!e.allowedBy(roles)) {
                out.add(e.toGrant());
            }
        }
        return List.copyOf(out);
    }

    /** The permissions missing for one write (by key), least privileged of each. */
    public static List<String> missingFor(Collection<String> roles, String... writeKeys) {
        Set<String> keys = Set.of(writeKeys);
        Set<String> out = new LinkedHashSet<>();
        for (Entry e : WRITES) {
            if (keys.contains(e.key()) && !e.allowedBy(roles)) {
                out.add(e.toGrant());
            }
        }
        return List.copyOf(out);
    }

    /** The scan's permissions, least privileged of each. */
    public static List<String> readsToGrant() {
        Set<String> out = new LinkedHashSet<>();
        READS.forEach(e -> out.add(e.toGrant()));
        return List.copyOf(out);
    }

    /** The lifecycle's write permissions (role-assignable groups' included), least privileged of each. */
    public static List<String> writesToGrant() {
        Set<String> out = new LinkedHashSet<>();
        WRITES.forEach(e -> out.add(e.toGrant()));
        out.removeAll(readsToGrant());
        return List.copyOf(out);
    }

    /** Every permission the scan and the lifecycle use, least privileged of each (what an MSP grants). */
    public static List<String> toGrant() {
        Set<String> out = new LinkedHashSet<>();
        READS.forEach(e -> out.add(e.toGrant()));
        WRITES.forEach(e -> out.add(e.toGrant()));
        return List.copyOf(out);
    }
}
