package io.mfagov.graphsim.testing;

import io.mfagov.graphsim.Fixtures;
import io.mfagov.graphsim.SimulatorConfig;
import io.mfagov.graphsim.model.TenantFixture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The onboarding fixture set (resources {@code /fixtures/onboarding/*.json}): one partner (MSP) tenant and seven
 * customers in the states onboarding must tell apart. Loadable by any module's tests:
 * {@code OnboardingFixture.configure(SimulatorConfig.builder())} or {@code builder.tenants(OnboardingFixture.tenants())}.
 *
 * <table>
 * <tr><th>customer</th><th>GDAP relationship</th><th>contract</th><th>MSP app in the tenant</th></tr>
 * <tr><td>{@link #ACTIVE} Alpine Ski House (org name ≠ contract copy "Alpine Ski House Ltd"; default domain alpineskihouse.com)</td><td>active, auto-extends P180D</td><td>yes</td><td>consented, {@link #FULL_PERMISSIONS}</td></tr>
 * <tr><td>{@link #ENDED} Tailspin Toys</td><td>terminated 10 days ago</td><td>no</td><td>consented</td></tr>
 * <tr><td>{@link #EXPIRING} Wide World Importers</td><td>active, ends in 14 days, PT0S (no auto-extend)</td><td>yes</td><td>consented</td></tr>
 * <tr><td>{@link #NO_CONSENT} Litware Inc</td><td>active</td><td>yes</td><td>absent: AADSTS700016</td></tr>
 * <tr><td>{@link #MISSING_PERMISSION} Proseware</td><td>active</td><td>yes</td><td>consented with Directory.Read.All only</td></tr>
 * <tr><td>{@link #CERTIFICATE_ONLY} Coho Winery</td><td>active</td><td>yes</td><td>absent; {@link #CERT_APP_ID} (no secret) consented</td></tr>
 * <tr><td>{@link #CONTRACT_ONLY} Fourth Coffee</td><td>none</td><td>yes</td><td>consented</td></tr>
 * </table>
 * The partner tenant {@link #PARTNER} is the home of {@link #MSP_APP_ID} (secret {@link #MSP_APP_SECRET}, an expired
 * secret {@link #MSP_APP_EXPIRED_SECRET}, federated credential {@link #FEDERATED_ISSUER} / {@link #FEDERATED_SUBJECT})
 * and of {@link #CERT_APP_ID}; the MSP app holds {@link #PARTNER_PERMISSIONS} there. Before a certificate or federated
 * credential can work, the test supplies the key material: {@code sim.admin().addCertificate(CERT_APP_ID, cert)} and
 * {@code builder.trustedIssuer(FEDERATED_ISSUER, issuer.publicKey())} with
 * {@code ServiceAccountTokenIssuer.create(FEDERATED_ISSUER)}. SIMULATOR-ONLY secrets.
 */
public final class OnboardingFixture {

    public static final String PARTNER = "0b5e7a10-0000-4000-8000-00000000a000";
    public static final String ACTIVE = "0b5e7a10-0000-4000-8000-00000000a001";
    public static final String ENDED = "0b5e7a10-0000-4000-8000-00000000a002";
    public static final String EXPIRING = "0b5e7a10-0000-4000-8000-00000000a003";
    public static final String NO_CONSENT = "0b5e7a10-0000-4000-8000-00000000a004";
    public static final String MISSING_PERMISSION = "0b5e7a10-0000-4000-8000-00000000a005";
    public static final String CERTIFICATE_ONLY = "0b5e7a10-0000-4000-8000-00000000a006";
    public static final String CONTRACT_ONLY = "0b5e7a10-0000-4000-8000-00000000a007";
    /** Every customer, in fixture order. */
    public static final List<String> CUSTOMERS = List.of(ACTIVE, ENDED, EXPIRING, NO_CONSENT, MISSING_PERMISSION, CERTIFICATE_ONLY,
            CONTRACT_ONLY);
    /** Customers with a GDAP relationship (all but {@link #CONTRACT_ONLY}). */
    public static final List<String> GDAP_CUSTOMERS = List.of(ACTIVE, ENDED, EXPIRING, NO_CONSENT, MISSING_PERMISSION, CERTIFICATE_ONLY);
    /** Customers with a contract (all but {@link #ENDED}). */
    public static final List<String> CONTRACT_CUSTOMERS = List.of(ACTIVE, EXPIRING, NO_CONSENT, MISSING_PERMISSION, CERTIFICATE_ONLY,
            CONTRACT_ONLY);

    /** The GDAP relationship ids: {@code 9d0e1f20-000N-4000-8000-0000000000 0N-<partner>} for customer N. */
    public static final String ACTIVE_RELATIONSHIP = relationshipId(1);
    public static final String ENDED_RELATIONSHIP = relationshipId(2);
    public static final String EXPIRING_RELATIONSHIP = relationshipId(3);
    public static final String NO_CONSENT_RELATIONSHIP = relationshipId(4);
    public static final String MISSING_PERMISSION_RELATIONSHIP = relationshipId(5);
    public static final String CERTIFICATE_ONLY_RELATIONSHIP = relationshipId(6);

    /** The MSP's multi-tenant app (home: {@link #PARTNER}). */
    public static final String MSP_APP_ID = "c0ffee00-5ca1-4e00-8000-00000000a001";
    /** SIMULATOR-ONLY: a valid secret of the MSP app (no expiry). */
    public static final String MSP_APP_SECRET = "sim-secret-onboarding-msp-app";
    /** SIMULATOR-ONLY: an expired secret of the MSP app (AADSTS7000222). */
    public static final String MSP_APP_EXPIRED_SECRET = "sim-secret-onboarding-msp-app-expired";
    /** An app without secrets (certificate only; the test uploads the certificate), consented in {@link #CERTIFICATE_ONLY}. */
    public static final String CERT_APP_ID = "c0ffee00-5ca1-4e00-8000-00000000a002";
    /** The federated identity credential of the MSP app: issuer (trust it with the test issuer's key) and subject. */
    public static final String FEDERATED_ISSUER = "https://oidc.onboarding.example/mfagov/";
    public static final String FEDERATED_SUBJECT = "system:serviceaccount:mfagov:scanner";

    /** What the MSP app holds in the partner tenant: discovery reads (contracts, GDAP, organization). */
    public static final Set<String> PARTNER_PERMISSIONS = Set.of("Directory.Read.All", "Organization.Read.All",
            "DelegatedAdminRelationship.Read.All");
    /** What the fully consented customers grant (= TenantFixture.DEFAULT_GRANTED_PERMISSIONS: reads and lifecycle writes). */
    public static final Set<String> FULL_PERMISSIONS = Set.copyOf(TenantFixture.DEFAULT_GRANTED_PERMISSIONS);
    /** What {@link #MISSING_PERMISSION} grants the MSP app. */
    public static final Set<String> MISSING_PERMISSION_GRANTED = Set.of("Directory.Read.All");

    static final List<String> RESOURCES = List.of("partner.json", "customer-1-active.json", "customer-2-ended.json",
            "customer-3-expiring.json", "customer-4-no-consent.json", "customer-5-missing-permission.json",
            "customer-6-certificate-only.json", "customer-7-contract-only.json");

    private OnboardingFixture() {
    }

    private static String relationshipId(int n) {
        return String.format("9d0e1f20-%04d-4000-8000-0000000000%02d-%s", n, n, PARTNER);
    }

    /** The eight tenants (partner first), freshly read from the resources. */
    public static List<TenantFixture> tenants() {
        List<TenantFixture> out = new ArrayList<>();
        for (String r : RESOURCES) {
            String path = "/fixtures/onboarding/" + r;
            try (InputStream in = OnboardingFixture.class.getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + path);
                }
                out.addAll(Fixtures.read(in, path));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** Adds the onboarding tenants to a simulator configuration. */
    public static SimulatorConfig.Builder configure(SimulatorConfig.Builder builder) {
        return builder.tenants(tenants());
    }
}
