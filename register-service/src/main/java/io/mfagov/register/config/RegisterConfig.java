package io.mfagov.register.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything the register can be tuned with; defaults here and in application.properties. */
@ConfigMapping(prefix = "register")
public interface RegisterConfig {

    /** Base URL of the register's API, for links in alerts (e.g. https://register.msp.example). */
    Optional<String> publicUrl();

    Outbox outbox();

    Scheduler scheduler();

    Lifecycle lifecycle();

    Usage usage();

    GapAlerts gapAlerts();

    Remediation remediation();

    Discovery discovery();

    /** Exception categories by name (BREAK_GLASS, LEGACY_APP, ...): MSP-wide rules. */
    Map<String, Category> categories();

    interface Outbox {
        /** Whether this replica relays the outbox to Kafka. */
        @WithDefault("true")
        boolean relayEnabled();

        /** How often unsent rows are looked for. */
        @WithDefault("1s")
        Duration pollInterval();

        @WithDefault("200")
        int batchSize();

        /** A row that failed this many times is parked (skipped, kept, shown by readiness) so later rows flow. */
        @WithDefault("10")
        int maxAttempts();

        /** Readiness fails when the oldest unsent row is older than this. */
        @WithDefault("5m")
        Duration maxLag();
    }

    interface Scheduler {
        /** Whether this replica runs the scan scheduler (all may: an advisory lock elects one per tick). */
        @WithDefault("true")
        boolean enabled();

        /** How often due tenants are looked for. */
        @WithDefault("60s")
        Duration every();

        /** Scan interval of tenants created without one. */
        @WithDefault("1440")
        int defaultIntervalMinutes();

        @WithDefault("15")
        int minIntervalMinutes();
    }

    interface Lifecycle {
        /** When the daily job (EXPIRING, EXPIRED, REVIEW_DUE) runs, Quartz cron, server time zone. */
        @WithDefault("0 0 6 * * ?")
        String cron();

        /** Days ahead of expiry that EXPIRING warnings go out; the largest is the EXPIRING status window. */
        @WithDefault("14,3")
        List<Integer> warningDays();
    }

    /** The usage verdict of exclusions and exceptions, judged from the register's own history of scans. */
    interface Usage {
        /**
         * An excluded principal with no sign-in seen for this many days is UNUSED (and its approved exception raises
         * UNUSED_EXCEPTION); while the register holds less sign-in history than this, the verdict is
         * INSUFFICIENT_HISTORY.
         */
        @WithDefault("90")
        int unusedAfterDays();
    }

    /** Alerts decided from a scan's gap signals (SINGLE_FACTOR_SIGNINS, NOT_REGISTERED_PRIVILEGED, UNUSED_EXCEPTION). */
    interface GapAlerts {
        /**
         * SINGLE_FACTOR_SIGNINS is raised again for a user whose single-factor sign-ins in the window reach this many
         * times the count of the previous COMPLETE scan that read sign-ins.
         */
        @WithDefault("2.0")
        double singleFactorRisingFactor();
    }

    /** Removing exclusions from tenants (issue 15): the requests the register sends the scanner. */
    interface Remediation {
        /**
         * How long a remediation request stays valid ({@code RemediationRequested.notAfter} = sent + this): a late or
         * replayed request is never carried out by the scanner.
         */
        @WithDefault("1h")
        Duration requestValidity();
    }

    /**
     * Onboarding (issue 16): the customers of the MSP's own (partner) tenant, read by the scanner from its contracts and
     * GDAP relationships, and reconciled here (service.Discoveries).
     */
    interface Discovery {
        /** The MSP's own (partner) tenant id; unset: discovery is off (POST /api/v1/discovery answers 409). */
        Optional<String> partnerTenantId();

        /** The scanner's credential set for the partner tenant (a name, never a secret); unset: the default set. */
        Optional<String> partnerCredentialRef();

        /** Whether a newly discovered customer is registered enabled (scanned); false: proposed, an admin enables it. */
        @WithDefault("false")
        boolean enableNewTenants();

        /** The credentialRef given to newly discovered customers; unset: the default set. */
        Optional<String> credentialRef();

        /** RELATIONSHIP_EXPIRING is raised this many days before an active relationship ends without auto-extension. */
        @WithDefault("30")
        int expiryWarningDays();

        /** Whether the scheduler runs discovery by itself every {@link #interval()} (when the partner is configured). */
        @WithDefault("true")
        boolean scheduled();

        /** How often the scheduler runs discovery (one replica: the last run is read under a database lock). */
        @WithDefault("24h")
        Duration interval();
    }

    interface Category {
        /** Longest an exception of this category may run, in days from approval request. */
        int maxDays();

        /** Review cadence in days; absent: no periodic review (expiry is the review). */
        Optional<Integer> reviewEveryDays();

        /** The least role that may approve it. */
        @WithDefault("approver")
        String approverRole();

        /** Whether a PSA ticket reference is required. */
        @WithDefault("false")
        boolean ticketRequired();

        /**
         * Whether exclusions of this category may be removed from the tenant (expiry, retirement). A non-enforceable
         * category (BREAK_GLASS) is never planned, and its approved principals are sent as protected ids with every
         * remediation request, so that no change removes them.
         */
        @WithDefault("true")
        boolean enforceable();
    }
}
