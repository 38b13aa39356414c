package io.mfagov.notifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Everything the notifier reads from configuration, under {@code mfagov.notifier}. */
@ConfigMapping(prefix = "mfagov.notifier")
public interface NotifierConfig {

    /**
     * AES-256 key (base64, 32 bytes) that encrypts destination URLs and signing secrets at rest.
     * From the environment ({@code NOTIFIER_SECRET_KEY}); never a literal in a file.
     */
    Optional<String> secretKey();

    /** Local run and tests only: allows {@code http://} to loopback addresses and loopback targets. */
    @WithDefault("false")
    boolean allowLoopback();

    /** Host patterns every destination URL must match ({@code *.example.com} matches sub-domains only). */
    @WithDefault("*.webhook.office.com,*.logic.azure.com,*.environment.api.powerplatform.com")
    List<String> allowedHosts();

    /** Extra host patterns, e.g. the PSA's webhook hosts. */
    Optional<List<String>> psaHosts();

    Delivery delivery();

    Digest digest();

    Intake intake();

    interface Intake {
        /**
         * Taking in alerts fails transiently (database down or restarting, no connection, a deadlock): the
         * consumer retries the same records in place after this delay, doubled each time up to
         * {@link #maxRetryBackoff()}. It never dead-letters them; it stalls until the database is back.
         */
        @WithDefault("PT0.5S")
        Duration initialRetryBackoff();

        @WithDefault("PT30S")
        Duration maxRetryBackoff();
    }

    interface Delivery {
        /** How often the worker looks for due deliveries. */
        @WithDefault("PT0.25S")
        Duration pollInterval();

        /** At most this many requests in flight to one destination, so a slow one never holds up others. */
        @WithDefault("8")
        int perDestinationConcurrency();

        /**
         * HTTP connections kept per target host and port, shared by every destination on it (e.g. many
         * tenants' webhooks on one PSA host); per destination {@link #perDestinationConcurrency()} still applies.
         */
        @WithDefault("64")
        int maxConnectionsPerHost();

        /**
         * A claimed delivery's lease is connect timeout + request timeout + this margin: a crashed worker's
         * deliveries come back to the others after it.
         */
        @WithDefault("PT30S")
        Duration leaseMargin();

        /** Deliveries claimed per destination per poll, at most. */
        @WithDefault("200")
        int batchSize();

        @WithDefault("PT5S")
        Duration connectTimeout();

        /** A destination that sends nothing back for this long is treated as down (retried). */
        @WithDefault("PT10S")
        Duration requestTimeout();

        /** First retry delay; doubled each attempt (with jitter) up to {@link #maxBackoff()}. */
        @WithDefault("PT10S")
        Duration initialBackoff();

        @WithDefault("PT15M")
        Duration maxBackoff();

        /** After this long without success a delivery becomes a dead letter. */
        @WithDefault("PT24H")
        Duration retryBudget();

        /** A Retry-After longer than this is capped to it. */
        @WithDefault("PT1H")
        Duration maxRetryAfter();
    }

    interface Digest {
        /** Alert kinds that Teams destinations receive as one digest card per tenant per window. */
        @WithDefault("EXPIRING,REVIEW_DUE,UNUSED_EXCEPTION")
        Set<String> kinds();

        /** The digest window, aligned to the epoch (PT24H = one card a day at 00:00 UTC). */
        @WithDefault("PT1H")
        Duration window();
    }
}
