package io.mfagov.graphsim;

import io.mfagov.graphsim.internal.Faults;
import io.mfagov.graphsim.internal.Limits;
import io.mfagov.graphsim.internal.TokenService;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.graphsim.model.AppRegistration;
import io.mfagov.graphsim.model.Change;
import io.mfagov.graphsim.model.Tenant;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Run-time control of a running simulator (the same operations as the {@code /_admin} HTTP API):
 * faults, limits, request counters, tokens and the manual clock.
 */
public final class SimulatorAdmin {
    private final Faults faults;
    private final Limits limits;
    private final RequestCounters counters;
    private final TokenService tokens;
    private final TenantRegistry tenants;
    private final SimClock clock;
    private final AppDirectory apps;

    SimulatorAdmin(Faults faults, Limits limits, RequestCounters counters, TokenService tokens, TenantRegistry tenants,
                   SimClock clock, AppDirectory apps) {
        this.apps = apps;
        this.faults = faults;
        this.limits = limits;
        this.counters = counters;
        this.tokens = tokens;
        this.tenants = tenants;
        this.clock = clock;
    }

    // ---- faults ---------------------------------------------------------------------------------------------

    /** Faults for every tenant without its own spec. */
    public SimulatorAdmin setGlobalFaults(FaultSpec spec) {
        faults.setGlobal(spec);
        return this;
    }

    public FaultSpec globalFaults() {
        return faults.global();
    }

    /** Faults for one tenant (replaces the global spec for it); null removes the tenant's spec. */
    public SimulatorAdmin setTenantFaults(String tenantId, FaultSpec spec) {
        requireTenant(tenantId);
        faults.setTenant(tenantId, spec);
        return this;
    }

    public FaultSpec tenantFaults(String tenantId) {
        return faults.tenant(tenantId);
    }

    public Map<String, FaultSpec> allTenantFaults() {
        return faults.tenantSpecs();
    }

    /** Removes every fault (global and per tenant). */
    public SimulatorAdmin clearFaults() {
        faults.clear();
        return this;
    }

    // ---- limits ---------------------------------------------------------------------------------------------

    public LimitsConfig limits() {
        return limits.config();
    }

    /** Replaces the limits; every tenant's buckets start full. */
    public SimulatorAdmin setLimits(LimitsConfig config) {
        limits.configure(config);
        return this;
    }

    public SimulatorAdmin setLimitsEnabled(boolean on) {
        limits.configure(limits.config().withEnabled(on));
        return this;
    }

    /** Refills every tenant's buckets (e.g. between tests). */
    public SimulatorAdmin resetLimitState() {
        limits.reset();
        return this;
    }

    // ---- accounting -----------------------------------------------------------------------------------------

    public RequestCounters counters() {
        return counters;
    }

    // ---- tokens ---------------------------------------------------------------------------------------------

    /** A valid access token for the tenant's simulated app (as the token endpoint would issue), default 1 h. */
    public String mintToken(String tenantId) {
        return mintToken(tenantId, Duration.ofHours(1));
    }

    public String mintToken(String tenantId, Duration ttl) {
        Tenant t = requireTenant(tenantId);
        return tokens.issue(t.id(), t.clientId(), ttl, t.grantedPermissions());
    }

    // ---- permissions, writes and the change log --------------------------------------------------------------

    /**
     * Replaces the application permissions granted to the tenant's simulated app. Tokens issued afterwards list exactly
     * these in {@code roles}; tokens already issued keep theirs (as Entra); static tokens use the current set.
     */
    public SimulatorAdmin setGrantedPermissions(String tenantId, Set<String> permissions) {
        requireTenant(tenantId).setGrantedPermissions(permissions);
        return this;
    }

    public Set<String> grantedPermissions(String tenantId) {
        return requireTenant(tenantId).grantedPermissions();
    }

    /** Every successful write to the tenant (policy PATCHes, member removals and additions), oldest first. */
    public List<Change> changes(String tenantId) {
        return requireTenant(tenantId).changes();
    }

    /**
     * Another administrator edits the policy now (Graph's PATCH semantics and validation; modifiedDateTime bumped;
     * logged with actor {@link Change#CONCURRENT_ADMIN}).
     *
     * @throws IllegalArgumentException unknown tenant or policy, or a patch Graph would refuse
     */
    public SimulatorAdmin editPolicyNow(String tenantId, String policyId, ObjectNode patch) {
        if (!requireTenant(tenantId).patchPolicy(policyId, patch, clock.now(), Change.CONCURRENT_ADMIN)) {
            throw new IllegalArgumentException("tenant " + tenantId + ": no policy " + policyId);
        }
        return this;
    }

    /**
     * Another administrator edits the policy right after the next successful PATCH of it, before that PATCH's 204 is
     * sent: the writer's verifying re-read sees both changes. One pending edit per policy (a second call replaces it).
     */
    public SimulatorAdmin editPolicyAfterNextWrite(String tenantId, String policyId, ObjectNode patch) {
        requireTenant(tenantId).editPolicyAfterNextWrite(policyId, patch);
        return this;
    }

    // ---- app registrations, credentials and consent -----------------------------------------------------------

    /** The app registrations and trusted issuers. */
    public AppDirectory apps() {
        return apps;
    }

    /** Registers an app while the simulator runs. */
    public AppRegistration registerApp(AppRegistration app) {
        return apps.register(app);
    }

    /**
     * Admin consent of {@code clientId} in the tenant with exactly these application permissions (a new consent, or a
     * changed grant; for the tenant's own app the same as {@link #setGrantedPermissions}). Tokens issued before keep
     * their roles, as in Entra.
     */
    public SimulatorAdmin consent(String tenantId, String clientId, Set<String> permissions) {
        requireTenant(tenantId).consent(clientId, permissions);
        return this;
    }

    /** Deletes the app's service principal in the tenant: its token requests answer AADSTS700016 from now on. */
    public SimulatorAdmin revokeConsent(String tenantId, String clientId) {
        requireTenant(tenantId).revokeConsent(clientId);
        return this;
    }

    /** Adds a client secret to a registered app ({@code endDateTime} null = never expires). */
    public SimulatorAdmin addSecret(String clientId, String value, java.time.Instant endDateTime) {
        apps.require(clientId).addSecret(value, endDateTime);
        return this;
    }

    public SimulatorAdmin removeSecret(String clientId, String value) {
        if (!apps.require(clientId).removeSecret(value)) {
            throw new IllegalArgumentException("app " + clientId + " has no such secret");
        }
        return this;
    }

    /** Uploads a certificate (public part) to a registered app. */
    public SimulatorAdmin addCertificate(String clientId, java.security.cert.X509Certificate certificate) {
        apps.require(clientId).addCertificate(certificate);
        return this;
    }

    public SimulatorAdmin removeCertificate(String clientId, java.security.cert.X509Certificate certificate) {
        if (!apps.require(clientId).removeCertificate(certificate)) {
            throw new IllegalArgumentException("app " + clientId + " has no such certificate");
        }
        return this;
    }

    /** Adds a federated identity credential (audience default api://AzureADTokenExchange). */
    public SimulatorAdmin addFederatedCredential(String clientId, String issuer, String subject) {
        apps.require(clientId).addFederatedCredential(new AppRegistration.FederatedCredential(null, issuer, subject, null));
        return this;
    }

    /** Trusts tokens of {@code issuer} signed with {@code key} (see {@link SimulatorConfig.Builder#trustedIssuer}). */
    public SimulatorAdmin trustIssuer(String issuer, java.security.PublicKey key) {
        apps.trustIssuer(issuer, key);
        return this;
    }

    // ---- partner tenants and organizations ------------------------------------------------------------------

    /**
     * A GDAP relationship of the partner tenant changes status (e.g. "terminated", "expired", "active"), with its
     * endDateTime (null keeps it) and lastModifiedDateTime = the simulator's now; returns the relationship as Graph
     * now serves it.
     */
    public com.fasterxml.jackson.databind.node.ObjectNode setRelationshipStatus(String partnerTenantId, String relationshipId,
                                                                              String status, java.time.Instant endDateTime) {
        Tenant t = requireTenant(partnerTenantId);
        if (t.partner() == null) {
            throw new IllegalArgumentException("tenant " + partnerTenantId + " is not a partner tenant (no partner section)");
        }
        return t.partner().setRelationshipStatus(relationshipId, status, endDateTime, clock.now());
    }

    /**
     * The customer renames its tenant: GET /organization answers the new displayName (and the token endpoint's
     * messages use it); partners' contract and GDAP copies keep the old name, as in Graph.
     */
    public SimulatorAdmin renameTenant(String tenantId, String displayName) {
        requireTenant(tenantId).rename(displayName);
        return this;
    }

    // ---- clock ----------------------------------------------------------------------------------------------

    public SimClock clock() {
        return clock;
    }

    /** Advances the simulator's clock; only when it was started with a {@link ManualClock}. */
    public void advanceClock(Duration d) {
        if (!(clock instanceof ManualClock m)) {
            throw new IllegalStateException("the simulator runs on the system clock; start it with a ManualClock");
        }
        m.advance(d);
    }

    /** Clears faults and counters and refills all limit buckets. */
    public SimulatorAdmin resetAll() {
        faults.clear();
        counters.reset();
        limits.reset();
        return this;
    }

    private Tenant requireTenant(String tenantId) {
        Tenant t = tenants.get(tenantId);
        if (t == null) {
            throw new IllegalArgumentException("unknown tenant " + tenantId);
        }
        return t;
    }
}
