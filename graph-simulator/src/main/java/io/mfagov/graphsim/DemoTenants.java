package io.mfagov.graphsim;

import java.util.List;

/** The four hand-written demo tenants (resources under {@code /demo}), served by {@code --demo} and by default. */
public final class DemoTenants {

    /** Contoso Dental: well run; two documented break-glass accounts excluded from every policy. */
    public static final String WELL_RUN = "6f1b2c3d-4e5f-4a6b-8c7d-000000000001";
    /**
     * Fabrikam Logistics: messy; a legacy scanner group excluded, a leftover migration admin exclusion, an MFA
     * policy stuck in report-only, a deleted user still excluded.
     */
    public static final String MESSY = "6f1b2c3d-4e5f-4a6b-8c7d-000000000002";
    /** Northwind Bakery: no Conditional Access at all, relies on security defaults. */
    public static final String SECURITY_DEFAULTS = "6f1b2c3d-4e5f-4a6b-8c7d-000000000003";

    /**
     * Woodgrove Travel: nothing enforces MFA. Security defaults off; the only enabled policy blocks legacy
     * authentication, the all-users MFA policy is report-only, the admin MFA policy disabled; the Global Administrator
     * signs in with a password alone; no Entra ID P2 (PIM answers AadPremiumLicenseRequired).
     */
    public static final String NO_MFA = "6f1b2c3d-4e5f-4a6b-8c7d-000000000004";

    public static final List<String> IDS = List.of(WELL_RUN, MESSY, SECURITY_DEFAULTS, NO_MFA);

    static final List<String> RESOURCES = List.of("/demo/contoso-dental-well-run.json",
            "/demo/fabrikam-logistics-messy.json", "/demo/northwind-bakery-security-defaults.json",
            "/demo/woodgrove-travel-no-mfa.json");

    private DemoTenants() {
    }
}
