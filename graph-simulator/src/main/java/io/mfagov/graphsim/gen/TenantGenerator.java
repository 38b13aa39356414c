package io.mfagov.graphsim.gen;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.graphsim.internal.Json;
import io.mfagov.graphsim.model.BuiltInRoles;
import io.mfagov.graphsim.model.ServicePrincipal;
import io.mfagov.graphsim.model.SignIn;
import io.mfagov.graphsim.model.SignInLog;
import io.mfagov.graphsim.model.Tenant;
import io.mfagov.graphsim.model.TenantFixture;
import io.mfagov.graphsim.model.TenantFixture.GroupFixture;
import io.mfagov.graphsim.model.TenantFixture.UserFixture;
import io.mfagov.graphsim.model.User;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Deterministic synthetic tenants: the same (seed, count) always yields the same tenants, ids and simulator-only
 * credentials. Spread (per tenant): ~15 % on security defaults without CA; otherwise a median of 25 CA policies
 * (~75 % enabled, ~15 % report-only, ~10 % disabled); a documented break-glass pair excluded almost everywhere in
 * ~80 %; 0–10 directly excluded users and 0–5 excluded (nested) groups per policy, skewed low; role, guest,
 * application and trusted-location exclusions; deleted users still listed in exclusions in ~20 %; user counts
 * log-normal (median ~40) with ~3 % large tenants of 1,500–5,000 users whose nested groups reach thousands of members.
 * Sign-in logs are computed on demand (not held).
 */
public final class TenantGenerator {

    private static final String[] GIVEN = {"Adele", "Alex", "Allan", "Bianca", "Brian", "Cameron", "Christie", "Debra",
        "Diego", "Emily", "Enrico", "Grady", "Henrietta", "Irvin", "Isaiah", "Johanna", "Joni", "Jordan", "Lee", "Lidia",
        "Lynne", "Megan", "Miriam", "Nestor", "Patti", "Pradeep", "Raul", "Sanjay", "Sofia", "Tomas", "Una", "Vikram",
        "Wanda", "Xavier", "Yara", "Zoe", "Aisha", "Bjorn", "Chen", "Dmitri", "Elif", "Fatima", "Goran", "Hana", "Ingrid",
        "Jamal", "Kenji", "Lucia", "Mateo", "Nadia"};
    private static final String[] SURNAME = {"Vance", "Wilber", "Deyoung", "Pisani", "Johnson", "Evans", "Cline",
        "Berg", "Siciliani", "Braun", "Rossi", "Archie", "Harris", "Bellamy", "Langer", "Lauer", "Sherman", "Holmes",
        "Lidman", "Robbins", "Bowen", "Gonzalez", "Wilke", "Fernandes", "Kumar", "Patel", "Nguyen", "Okafor", "Schmidt",
        "Novak", "Larsen", "Tanaka", "Silva", "Kowalski", "Moreau", "Jensen", "Haddad", "Ivanova", "Costa", "Murphy"};
    private static final String[] COMPANY_A = {"Alpine", "Harbor", "Summit", "Cedar", "Bright", "Northwind", "Blue",
        "Granite", "Maple", "Silver", "Riverside", "Oak", "Coastal", "Pioneer", "Evergreen", "Redwood", "Lakeside",
        "Horizon", "Iron", "Golden"};
    private static final String[] COMPANY_B = {"Dental", "Logistics", "Legal", "Bakery", "Accounting", "Clinic",
        "Engineering", "Realty", "Consulting", "Motors", "Architects", "Pharmacy", "Insurance", "Foods", "Builders",
        "Travel", "Veterinary", "Studios", "Freight", "Labs"};
    private static final String[] DEPARTMENTS = {"Sales", "Finance", "Operations", "HR", "IT", "Marketing", "Support",
        "Warehouse", "Legal", "Executives"};
    private static final String[][] APPS = {
        {"Salesforce", "Application"}, {"ServiceNow", "Application"}, {"Zoom", "Application"},
        {"Adobe Acrobat Sign", "Application"}, {"Slack", "Application"}, {"Veeam Backup for Microsoft 365", "Application"},
        {"Legacy Scanner Connector", "Application"}, {"Xero", "Application"}, {"DocuSign", "Application"},
        {"Atlassian Cloud", "Application"}, {"Datto SaaS Protection", "Application"}, {"Power BI Gateway", "Application"}};
    private static final List<List<String>> METHOD_MIXES = List.of(
        List.of("microsoftAuthenticatorPush", "softwareOneTimePasscode"),
        List.of("microsoftAuthenticatorPush", "softwareOneTimePasscode", "mobilePhone"),
        List.of("mobilePhone"),
        List.of("fido2", "microsoftAuthenticatorPush", "softwareOneTimePasscode"),
        List.of("windowsHelloForBusiness", "microsoftAuthenticatorPush"),
        List.of("email"),
        List.of());
    private static final String AZURE_MANAGEMENT = "797f4846-ba00-4fd7-ba43-dac1f8f63013";
    private static final String OFFICE365 = "Office365";

    private TenantGenerator() {
    }

    /** {@code count} tenants for {@code seed}, built in parallel; order and content are deterministic. */
    public static List<Tenant> generate(long seed, int count) {
        return generate(seed, count, GeneratorSettings.defaults());
    }

    /** As {@link #generate(long, int)} with sign-in volume, user count and time anchor from {@code settings}. */
    public static List<Tenant> generate(long seed, int count, GeneratorSettings settings) {
        return IntStream.range(0, count).parallel().mapToObj(i -> build(seed, i, settings)).toList();
    }

    /** The i-th tenant of a seed, as a fixture (e.g. to export). */
    public static TenantFixture fixture(long seed, int index) {
        return fixture(seed, index, GeneratorSettings.defaults());
    }

    public static TenantFixture fixture(long seed, int index, GeneratorSettings settings) {
        return new Gen(seed, index, settings).tenant();
    }

    public static Tenant build(long seed, int index) {
        return build(seed, index, GeneratorSettings.defaults());
    }

    public static Tenant build(long seed, int index, GeneratorSettings settings) {
        Gen g = new Gen(seed, index, settings);
        TenantFixture f = g.tenant();
        long sigSeed = g.signInSeed;
        return Tenant.fromFixture(f, t -> new GeneratedSignIns(t, sigSeed, settings));
    }

    static long mix(long seed, long i) {
        long z = seed * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static String uuid(SplittableRandom r) {
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /** One tenant's generation state. */
    private static final class Gen {
        final SplittableRandom r;
        final int index;
        final long signInSeed;
        final GeneratorSettings settings;
        final List<UserFixture> users = new ArrayList<>();
        final List<GroupFixture> groups = new ArrayList<>();
        String domain;
        Instant created;

        Gen(long seed, int index, GeneratorSettings settings) {
            this.settings = settings;
            this.r = new SplittableRandom(mix(seed, index));
            this.index = index;
            this.signInSeed = mix(seed ^ 0x5EED5EEDL, index);
        }

        TenantFixture tenant() {
            TenantFixture f = new TenantFixture();
            f.tenantId = uuid(r);
            String a = COMPANY_A[r.nextInt(COMPANY_A.length)];
            String b = COMPANY_B[r.nextInt(COMPANY_B.length)];
            f.displayName = a + " " + b + " " + (index + 1);
            domain = (a + b).toLowerCase(Locale.ROOT) + String.format("%05d", index + 1) + ".onmicrosoft.com";
            f.domain = domain;
            created = Instant.parse("2018-01-01T00:00:00Z").plus(r.nextInt(2500), ChronoUnit.DAYS);
            f.createdDateTime = created.toString();
            f.countryLetterCode = new String[] {"US", "GB", "NL", "DE", "CA", "AU"}[r.nextInt(6)];
            f.app = new TenantFixture.SimulatorApp(uuid(r), String.format("sim-secret-%016x%016x", r.nextLong(), r.nextLong()));
            f.description = "generated tenant #" + index;

            boolean large = r.nextDouble() < 0.03;
            int userCount = large ? 1500 + r.nextInt(3501)
                    : (int) Math.max(5, Math.min(1200, Math.round(40 * Math.exp(1.0 * r.nextGaussian()))));
            if (settings.usersPerTenant() != null) {
                userCount = settings.usersPerTenant();
                large = userCount >= 1500;
            }
            boolean securityDefaultsOnly = r.nextDouble() < 0.15;
            boolean breakGlass = !securityDefaultsOnly && r.nextDouble() < 0.80;

            // users
            List<String> breakGlassIds = new ArrayList<>();
            if (breakGlass) {
                for (int k = 1; k <= 2; k++) {
                    UserFixture u = new UserFixture();
                    u.id = uuid(r);
                    u.userPrincipalName = "breakglass0" + k + "@" + domain;
                    u.displayName = "Break Glass 0" + k;
                    u.givenName = "Break";
                    u.surname = "Glass 0" + k;
                    u.jobTitle = "Emergency access account";
                    u.createdDateTime = created.plus(1, ChronoUnit.DAYS).toString();
                    u.registration = registration(List.of("fido2"));
                    users.add(u);
                    breakGlassIds.add(u.id);
                }
            }
            Set<String> upns = new LinkedHashSet<>();
            for (int k = users.size(); k < userCount; k++) {
                users.add(randomUser(upns));
            }
            List<String> memberIds = new ArrayList<>();
            for (UserFixture u : users) {
                if (!"Guest".equals(u.userType) && !breakGlassIds.contains(u.id)) {
                    memberIds.add(u.id);
                }
            }
            // a sync account in some tenants
            String syncUser = null;
            if (r.nextDouble() < 0.4) {
                UserFixture u = new UserFixture();
                u.id = uuid(r);
                u.userPrincipalName = "Sync_DC01_" + Long.toHexString(r.nextLong()).substring(0, 8) + "@" + domain;
                u.displayName = "On-Premises Directory Synchronization Service Account";
                u.createdDateTime = created.toString();
                u.registration = registration(List.of());
                users.add(u);
                syncUser = u.id;
            }
            f.users = users;

            // groups: departments partition members; All Staff nests the departments
            int deptCount = Math.min(DEPARTMENTS.length, 2 + r.nextInt(7));
            List<GroupFixture> depts = new ArrayList<>();
            for (int d = 0; d < deptCount; d++) {
                depts.add(group(DEPARTMENTS[d], "Department: " + DEPARTMENTS[d]));
            }
            for (int k = 0; k < memberIds.size(); k++) {
                depts.get(k % deptCount).members.add(memberIds.get(k));
            }
            GroupFixture allStaff = group("All Staff", "Every employee (nested department groups)");
            depts.forEach(d -> allStaff.members.add(d.id));
            GroupFixture serviceAccounts = group("Service Accounts", "Non-interactive accounts");
            GroupFixture mfaExclusions = group("MFA Exclusions", "Users temporarily excluded from MFA");
            mfaExclusions.members.add(serviceAccounts.id);
            for (int k = 0, n = r.nextInt(4); k < n && !memberIds.isEmpty(); k++) {
                mfaExclusions.members.add(memberIds.get(r.nextInt(memberIds.size())));
            }
            if (syncUser != null) {
                serviceAccounts.members.add(syncUser);
            }
            GroupFixture legacy = group("Legacy VPN Users", "Old VPN appliance without modern auth");
            legacy.members.add(depts.get(r.nextInt(deptCount)).id);
            if (r.nextDouble() < 0.03) { // a nesting cycle, as real directories sometimes have
                legacy.members.add(mfaExclusions.id);
                mfaExclusions.members.add(legacy.id);
            }
            GroupFixture tier0 = null;
            if (r.nextDouble() < 0.2) {
                tier0 = group("Tier0 Admins", "Role-assignable admin group");
                tier0.isAssignableToRole = true;
            }
            GroupFixture guestsGroup = group("External Partners", "B2B guests");
            for (UserFixture u : users) {
                if ("Guest".equals(u.userType)) {
                    guestsGroup.members.add(u.id);
                }
            }
            groups.addAll(depts);
            groups.add(allStaff);
            groups.add(serviceAccounts);
            groups.add(mfaExclusions);
            groups.add(legacy);
            groups.add(guestsGroup);
            if (tier0 != null) {
                groups.add(tier0);
            }
            f.groups = groups;

            // service principals
            int spCount = 2 + r.nextInt(8);
            List<String> appIds = new ArrayList<>();
            for (int k = 0; k < spCount; k++) {
                TenantFixture.ServicePrincipalFixture sp = new TenantFixture.ServicePrincipalFixture();
                String[] app = APPS[(k + index) % APPS.length];
                sp.id = uuid(r);
                sp.appId = uuid(r);
                sp.displayName = app[0];
                sp.servicePrincipalType = app[1];
                sp.appOwnerOrganizationId = uuid(r);
                f.servicePrincipals.add(sp);
                appIds.add(sp.appId);
                if (k == 0 && r.nextDouble() < 0.3) {
                    serviceAccounts.members.add(sp.id);
                }
            }

            // role assignments
            int admins = Math.min(memberIds.size(), 1 + r.nextInt(4));
            for (int k = 0; k < admins; k++) {
                f.roleAssignments.add(new TenantFixture.RoleAssignmentFixture(BuiltInRoles.GLOBAL_ADMINISTRATOR,
                        memberIds.get(k), "/"));
            }
            for (String bg : breakGlassIds) {
                f.roleAssignments.add(new TenantFixture.RoleAssignmentFixture(BuiltInRoles.GLOBAL_ADMINISTRATOR, bg, "/"));
            }
            if (memberIds.size() > 5) {
                f.roleAssignments.add(new TenantFixture.RoleAssignmentFixture(BuiltInRoles.USER_ADMINISTRATOR,
                        memberIds.get(memberIds.size() - 1), "/"));
                f.roleAssignments.add(new TenantFixture.RoleAssignmentFixture(BuiltInRoles.HELPDESK_ADMINISTRATOR,
                        memberIds.get(memberIds.size() - 2), "/administrativeUnits/" + uuid(r)));
            }
            if (tier0 != null && memberIds.size() > 3) {
                tier0.members.add(memberIds.get(memberIds.size() - 3));
                f.roleAssignments.add(new TenantFixture.RoleAssignmentFixture(BuiltInRoles.GLOBAL_ADMINISTRATOR, tier0.id, "/"));
            }
            if (syncUser != null) {
                f.roleAssignments.add(new TenantFixture.RoleAssignmentFixture(BuiltInRoles.DIRECTORY_SYNCHRONIZATION_ACCOUNTS,
                        syncUser, "/"));
            }

            // named locations
            String trustedLocation = null;
            if (r.nextDouble() < 0.6) {
                ObjectNode n = Json.obj();
                n.put("@odata.type", "#microsoft.graph.ipNamedLocation");
                trustedLocation = uuid(r);
                n.put("id", trustedLocation);
                n.put("displayName", "Head office");
                n.put("createdDateTime", created.plus(30, ChronoUnit.DAYS).toString());
                n.put("isTrusted", true);
                n.set("ipRanges", Json.arr("203.0." + r.nextInt(256) + ".0/24"));
                f.namedLocations.add(n);
            }
            String countryLocation = null;
            if (r.nextDouble() < 0.3) {
                ObjectNode n = Json.obj();
                n.put("@odata.type", "#microsoft.graph.countryNamedLocation");
                countryLocation = uuid(r);
                n.put("id", countryLocation);
                n.put("displayName", "Allowed countries");
                n.put("createdDateTime", created.plus(40, ChronoUnit.DAYS).toString());
                n.set("countriesAndRegions", Json.arr(f.countryLetterCode, "US"));
                f.namedLocations.add(n);
            }

            // conditional access
            f.securityDefaultsEnabled = securityDefaultsOnly;
            if (!securityDefaultsOnly) {
                List<String> deleted = new ArrayList<>();
                if (r.nextDouble() < 0.2) {
                    for (int k = 0, n = 1 + r.nextInt(3); k < n; k++) {
                        deleted.add(uuid(r)); // users deleted from the directory, still listed in exclusions
                    }
                }
                int policyCount = (int) Math.max(2, Math.min(60, Math.round(25 + 9 * r.nextGaussian())));
                List<String> groupIds = new ArrayList<>();
                groups.forEach(g -> groupIds.add(g.id));
                for (int p = 0; p < policyCount; p++) {
                    f.conditionalAccessPolicies.add(policy(p, breakGlassIds, memberIds, groupIds, deleted, appIds,
                            trustedLocation, countryLocation, mfaExclusions.id, allStaff.id, large));
                }
            }
            return f;
        }

        private UserFixture randomUser(Set<String> upns) {
            UserFixture u = new UserFixture();
            u.id = uuid(r);
            u.perUserMfaState = perUserMfaState(u.id);
            u.givenName = GIVEN[r.nextInt(GIVEN.length)];
            u.surname = SURNAME[r.nextInt(SURNAME.length)];
            u.displayName = u.givenName + " " + u.surname;
            boolean guest = r.nextDouble() < 0.08;
            String local = (u.givenName + "." + u.surname).toLowerCase(Locale.ROOT);
            String base = local;
            for (int n = 2; upns.contains(base); n++) {
                base = local + n;
            }
            upns.add(base);
            if (guest) {
                u.userType = "Guest";
                u.mail = base + "@partner" + r.nextInt(50) + ".example";
                u.userPrincipalName = base + "_partner.example#EXT#@" + domain;
                u.creationType = "Invitation";
                u.externalUserState = r.nextDouble() < 0.9 ? "Accepted" : "PendingAcceptance";
            } else {
                u.userPrincipalName = base + "@" + domain;
                u.mail = u.userPrincipalName;
                u.jobTitle = r.nextDouble() < 0.5 ? "Associate" : null;
            }
            u.accountEnabled = r.nextDouble() >= 0.05;
            u.createdDateTime = created.plus(r.nextInt(2000), ChronoUnit.DAYS).toString();
            double m = r.nextDouble();
            int mix = m < 0.45 ? 0 : m < 0.60 ? 1 : m < 0.70 ? 2 : m < 0.75 ? 3 : m < 0.80 ? 4 : m < 0.85 ? 5 : 6;
            u.registration = registration(METHOD_MIXES.get(mix));
            return u;
        }

        private TenantFixture.Registration registration(List<String> methods) {
            TenantFixture.Registration reg = new TenantFixture.Registration();
            reg.methodsRegistered = methods;
            reg.lastUpdatedDateTime = created.plus(100 + r.nextInt(2000), ChronoUnit.DAYS).toString();
            return reg;
        }

        private GroupFixture group(String name, String description) {
            GroupFixture g = new GroupFixture();
            g.id = uuid(r);
            g.displayName = name;
            g.description = description;
            g.createdDateTime = created.plus(r.nextInt(500), ChronoUnit.DAYS).toString();
            return g;
        }

        private ObjectNode policy(int p, List<String> breakGlass, List<String> members, List<String> groupIds,
                                  List<String> deleted, List<String> appIds, String trusted, String country,
                                  String mfaExclusionsGroup, String allStaffGroup, boolean large) {
            ObjectNode o = Json.obj();
            o.put("id", uuid(r));
            double s = r.nextDouble();
            o.put("state", s < 0.75 ? "enabled" : s < 0.90 ? "enabledForReportingButNotEnforced" : "disabled");
            o.put("createdDateTime", created.plus(60 + r.nextInt(1500), ChronoUnit.DAYS).toString());
            o.put("modifiedDateTime", created.plus(1600 + r.nextInt(300), ChronoUnit.DAYS).toString());
            ObjectNode c = o.putObject("conditions");
            ObjectNode users = c.putObject("users");
            ObjectNode apps = c.putObject("applications");
            ArrayNode includeApps = apps.putArray("includeApplications");
            ObjectNode grant = o.putObject("grantControls");
            grant.put("operator", "OR");
            ArrayNode controls = grant.putArray("builtInControls");
            int kind = p % 12;
            String name;
            switch (kind) {
                case 0 -> {
                    name = "Require MFA for admins";
                    users.set("includeRoles", Json.arr(BuiltInRoles.ADMIN_ROLES_OF_MFA_TEMPLATE));
                    includeApps.add("All");
                    controls.add("mfa");
                }
                case 1 -> {
                    name = "Require MFA for all users";
                    users.set("includeUsers", Json.arr("All"));
                    includeApps.add("All");
                    controls.add("mfa");
                }
                case 2 -> {
                    name = "Block legacy authentication";
                    users.set("includeUsers", Json.arr("All"));
                    includeApps.add("All");
                    c.set("clientAppTypes", Json.arr("exchangeActiveSync", "other"));
                    controls.add("block");
                }
                case 3 -> {
                    name = "Require MFA for Azure management";
                    users.set("includeUsers", Json.arr("All"));
                    includeApps.add(AZURE_MANAGEMENT);
                    controls.add("mfa");
                }
                case 4 -> {
                    name = "Require compliant or hybrid joined device";
                    users.set("includeUsers", Json.arr("All"));
                    includeApps.add(OFFICE365);
                    controls.add("compliantDevice");
                    controls.add("domainJoinedDevice");
                }
                case 5 -> {
                    name = "Require MFA for guests";
                    ObjectNode g = users.putObject("includeGuestsOrExternalUsers");
                    g.put("guestOrExternalUserTypes", "internalGuest,b2bCollaborationGuest,b2bCollaborationMember,otherExternalUser");
                    g.putObject("externalTenants").put("membershipKind", "all");
                    users.set("includeUsers", Json.arr());
                    includeApps.add("All");
                    controls.add("mfa");
                }
                case 6 -> {
                    name = "Block access outside allowed locations";
                    users.set("includeUsers", Json.arr("All"));
                    includeApps.add("All");
                    ObjectNode loc = c.putObject("locations");
                    loc.set("includeLocations", Json.arr("All"));
                    loc.set("excludeLocations", country != null ? Json.arr(country, "AllTrusted") : Json.arr("AllTrusted"));
                    controls.add("block");
                }
                case 7 -> {
                    name = "Require password change for high-risk users";
                    users.set("includeUsers", Json.arr("All"));
                    includeApps.add("All");
                    c.set("userRiskLevels", Json.arr("high"));
                    grant.put("operator", "AND");
                    controls.add("mfa");
                    controls.add("passwordChange");
                }
                case 8 -> {
                    name = "Require MFA for risky sign-ins";
                    users.set("includeUsers", Json.arr("All"));
                    includeApps.add("All");
                    c.set("signInRiskLevels", Json.arr("high", "medium"));
                    controls.add("mfa");
                }
                case 9 -> {
                    name = "Phishing-resistant MFA for admins";
                    users.set("includeRoles", Json.arr(BuiltInRoles.GLOBAL_ADMINISTRATOR, BuiltInRoles.PRIVILEGED_ROLE_ADMINISTRATOR,
                            BuiltInRoles.SECURITY_ADMINISTRATOR));
                    includeApps.add("All");
                    grant.putObject("authenticationStrength").put("id", "00000000-0000-0000-0000-000000000004");
                }
                case 10 -> {
                    name = "Sign-in frequency for unmanaged devices";
                    users.set("includeUsers", Json.arr("All"));
                    includeApps.add(OFFICE365);
                    controls.add("mfa");
                    ObjectNode sc = o.putObject("sessionControls");
                    ObjectNode sif = sc.putObject("signInFrequency");
                    sif.put("value", 12);
                    sif.put("type", "hours");
                    sif.put("authenticationType", "primaryAndSecondaryAuthentication");
                    sif.put("frequencyInterval", "timeBased");
                    sif.put("isEnabled", true);
                }
                default -> {
                    name = "Require MFA for " + (appIds.isEmpty() ? "Office 365" : "line-of-business app");
                    users.set("includeGroups", Json.arr(allStaffGroup));
                    if (appIds.isEmpty()) {
                        includeApps.add(OFFICE365);
                    } else {
                        includeApps.add(appIds.get(r.nextInt(appIds.size())));
                    }
                    grant.putObject("authenticationStrength").put("id", "00000000-0000-0000-0000-000000000002");
                }
            }
            o.put("displayName", String.format("CA%03d: %s", p + 1, name));

            // exclusions
            List<String> exUsers = new ArrayList<>();
            if (!breakGlass.isEmpty() && r.nextDouble() < 0.95) {
                exUsers.addAll(breakGlass);
            }
            int direct = skewed(10);
            for (int k = 0; k < direct && !members.isEmpty(); k++) {
                String id = members.get(r.nextInt(members.size()));
                if (!exUsers.contains(id)) {
                    exUsers.add(id);
                }
            }
            if (!deleted.isEmpty() && r.nextDouble() < 0.3) {
                exUsers.add(deleted.get(r.nextInt(deleted.size())));
            }
            if (kind != 5 && r.nextDouble() < 0.05) {
                exUsers.add("GuestsOrExternalUsers");
            }
            users.set("excludeUsers", Json.arr(exUsers));
            List<String> exGroups = new ArrayList<>();
            int ng = skewed(5);
            if (ng > 0 && r.nextDouble() < 0.5) {
                exGroups.add(mfaExclusionsGroup);
            }
            for (int k = exGroups.size(); k < ng; k++) {
                String gid = groupIds.get(r.nextInt(groupIds.size()));
                if (!exGroups.contains(gid) && (!gid.equals(allStaffGroup) || large)) {
                    exGroups.add(gid);
                }
            }
            users.set("excludeGroups", Json.arr(exGroups));
            if (r.nextDouble() < 0.10) {
                users.set("excludeRoles", Json.arr(BuiltInRoles.DIRECTORY_SYNCHRONIZATION_ACCOUNTS));
            }
            if (kind != 5 && r.nextDouble() < 0.10) {
                ObjectNode g = users.putObject("excludeGuestsOrExternalUsers");
                g.put("guestOrExternalUserTypes", r.nextBoolean() ? "b2bCollaborationGuest,b2bCollaborationMember"
                        : "internalGuest,b2bCollaborationGuest,b2bCollaborationMember,b2bDirectConnectUser,otherExternalUser,serviceProvider");
                ObjectNode ext = g.putObject("externalTenants");
                if (r.nextBoolean()) {
                    ext.put("membershipKind", "all");
                } else {
                    ext.put("membershipKind", "enumerated");
                    ext.set("members", Json.arr(uuid(r)));
                }
            }
            if (!appIds.isEmpty() && includeApps.toString().contains("All") && r.nextDouble() < 0.10) {
                apps.set("excludeApplications", Json.arr(appIds.get(r.nextInt(appIds.size()))));
            }
            if (kind != 6 && r.nextDouble() < 0.15) {
                ObjectNode loc = c.putObject("locations");
                loc.set("includeLocations", Json.arr("All"));
                loc.set("excludeLocations", trusted != null && r.nextBoolean() ? Json.arr(trusted) : Json.arr("AllTrusted"));
            }
            return o;
        }

        /** 0..max, mostly small (geometric-ish). */
        private int skewed(int max) {
            int n = 0;
            while (n < max && r.nextDouble() < 0.45) {
                n++;
            }
            return n;
        }
    }

    /** ~3 % enforced, ~2 % enabled, the rest disabled; from the id alone, so the random stream stays as it was. */
    static String perUserMfaState(String userId) {
        int h = Math.floorMod(userId.hashCode() * 31 + 7, 100);
        return h < 3 ? "enforced" : h < 5 ? "enabled" : null;
    }

    /**
     * Sign-ins computed from (seed, index): nothing held per entry. Newest first: {@code inWindow} entries spread over
     * the 29 days before the anchor, then ~5 % more between 31 and 60 days back (beyond Graph's retention). Mix: ~35 %
     * interactive, ~60 % non-interactive, ~5 % service principals; ~2 % legacy clients (Exchange ActiveSync, Other
     * clients: single-factor, CA not applied); ~4 % failures; ~6 % of user sign-ins by users excluded from the tenant's
     * MFA-for-all policy (single-factor, policy notApplied). CA tenants: MFA when the policy applies (status success,
     * policy result success); security-defaults tenants: MFA for most registered users, CA notApplied.
     */
    static final class GeneratedSignIns implements SignInLog {
        private static final long SPAN_MS = java.time.Duration.ofDays(29).toMillis();
        private static final long OLD_START_MS = java.time.Duration.ofDays(31).toMillis();
        private static final String[][] APPS = {
            {"00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online"},
            {"00000003-0000-0ff1-ce00-000000000000", "Office 365 SharePoint Online"},
            {"1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams"},
            {"c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Azure Portal"},
            {"d3590ed6-52b3-4102-aeff-aad2292ab01c", "Microsoft Office"}};
        private static final String EXCHANGE = "00000002-0000-0ff1-ce00-000000000000";
        private final Tenant tenant;
        private final long seed;
        private final int inWindow;
        private final int size;
        private final long anchorMs;
        private volatile Policy policy;

        /** The tenant's MFA-for-all policy (if any) and who is excluded from it. */
        private record Policy(String id, String displayName, List<String> excluded, Set<String> excludedSet) {
        }

        GeneratedSignIns(Tenant t, long seed, GeneratorSettings settings) {
            this.tenant = t;
            this.seed = seed;
            this.inWindow = settings.signInsPerTenant() != null ? settings.signInsPerTenant() : Math.min(3000, t.users().size() * 3);
            this.size = inWindow + (inWindow + 19) / 20;
            this.anchorMs = settings.effectiveAnchor().toEpochMilli();
        }

        @Override
        public int size() {
            return size;
        }

        private Policy policy() {
            Policy p = policy;
            if (p == null) {
                p = findPolicy();
                policy = p;
            }
            return p;
        }

        private Policy findPolicy() {
            for (ObjectNode pol : tenant.policies()) {
                boolean mfa = false;
                for (var c : pol.path("grantControls").path("builtInControls")) {
                    mfa |= c.asText().equals("mfa");
                }
                boolean all = false;
                for (var u : pol.path("conditions").path("users").path("includeUsers")) {
                    all |= u.asText().equals("All");
                }
                if (mfa && all && "enabled".equals(pol.path("state").asText())) {
                    Set<String> ex = new LinkedHashSet<>();
                    for (var u : pol.path("conditions").path("users").path("excludeUsers")) {
                        if (tenant.user(u.asText()) != null) {
                            ex.add(u.asText());
                        }
                    }
                    for (var g : pol.path("conditions").path("users").path("excludeGroups")) {
                        for (var m : tenant.transitiveMembersOf(g.asText())) {
                            if (m instanceof User) {
                                ex.add(m.id());
                            }
                        }
                    }
                    return new Policy(pol.path("id").asText(), pol.path("displayName").asText(), List.copyOf(ex), ex);
                }
            }
            return new Policy(null, null, List.of(), Set.of());
        }

        @Override
        public SignIn get(int k) {
            if (k < 0 || k >= size) {
                throw new IndexOutOfBoundsException(k);
            }
            long at = k < inWindow ? anchorMs - k * SPAN_MS / Math.max(1, inWindow)
                    : anchorMs - OLD_START_MS - (k - inWindow) * SPAN_MS / Math.max(1, size - inWindow);
            String created = Instant.ofEpochMilli(at).truncatedTo(ChronoUnit.SECONDS).toString();
            SplittableRandom r = new SplittableRandom(mix(seed, k));
            String id = uuid(r);
            String ip = "203.0.113." + r.nextInt(255);
            double kind = r.nextDouble();
            int error = r.nextDouble() < 0.04 ? 50126 : 0;
            List<ServicePrincipal> sps = tenant.servicePrincipals();
            if (kind < 0.05 && !sps.isEmpty()) {
                ServicePrincipal sp = sps.get(r.nextInt(sps.size()));
                return new SignIn(id, created, "", null, null, null, sp.appId(), sp.displayName(), ip, "",
                        false, "notApplied", "singleFactorAuthentication", error == 0 ? 0 : 7000215,
                        tenant.countryLetterCode(), List.of(), sp.id(), sp.displayName());
            }
            boolean interactive = kind < 0.40;
            Policy p = policy();
            List<User> users = tenant.users();
            User u = !p.excluded().isEmpty() && r.nextDouble() < 0.06
                    ? tenant.user(p.excluded().get(r.nextInt(p.excluded().size())))
                    : users.get(r.nextInt(users.size()));
            boolean legacy = r.nextDouble() < 0.02;
            String[] app = APPS[r.nextInt(APPS.length)];
            String client = legacy ? (r.nextBoolean() ? "Exchange ActiveSync" : "Other clients")
                    : interactive && r.nextDouble() < 0.7 ? "Browser" : "Mobile Apps and Desktop clients";
            if (legacy) {
                app = APPS[0];
                interactive = false;
            }
            String caStatus;
            boolean mfa;
            List<TenantFixture.AppliedPolicy> applied;
            if (p.id() != null) {
                boolean applies = !legacy && !p.excludedSet().contains(u.id());
                TenantFixture.AppliedPolicy ap = new TenantFixture.AppliedPolicy();
                ap.id = p.id();
                ap.displayName = p.displayName();
                ap.enforcedGrantControls = List.of("Mfa");
                if (applies && error == 0 && !u.mfaRegistered() && interactive) {
                    error = 50074; // asked for MFA without a method: strong authentication required
                }
                ap.result = !applies ? "notApplied" : error == 0 ? "success" : "failure";
                applied = List.of(ap);
                caStatus = !applies ? "notApplied" : error == 0 ? "success" : "failure";
                mfa = applies && error == 0;
            } else {
                applied = List.of();
                caStatus = "notApplied";
                mfa = !legacy && tenant.securityDefaultsEnabled() && u.mfaRegistered() && r.nextDouble() < 0.6;
            }
            return new SignIn(id, created, u.id(), u.userPrincipalName(), u.displayName(), u.userType().toLowerCase(Locale.ROOT),
                    app[0].equals(EXCHANGE) || !legacy ? app[0] : EXCHANGE, app[1], ip, client, interactive, caStatus,
                    mfa ? "multiFactorAuthentication" : "singleFactorAuthentication", error, tenant.countryLetterCode(),
                    applied, null, null);
        }
    }
}
