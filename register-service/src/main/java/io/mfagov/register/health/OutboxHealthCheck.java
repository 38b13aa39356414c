package io.mfagov.register.health;

import io.mfagov.register.config.RegisterConfig;
import io.mfagov.register.outbox.OutboxRelay;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/**
 * Not ready when the outbox backlog is older than {@code register.outbox.max-lag}: alerts are not getting out. Parked
 * rows (failed {@code register.outbox.max-attempts} times, skipped) are reported as {@code parkedRows}: they need an
 * operator (README, operations), but do not stop this replica from serving.
 */
@Readiness
@ApplicationScoped
public class OutboxHealthCheck implements HealthCheck {

    private final OutboxRelay relay;
    private final RegisterConfig config;

    public OutboxHealthCheck(OutboxRelay relay, RegisterConfig config) {
        this.relay = relay;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        Duration lag = relay.lag();
        return HealthCheckResponse.named("outbox")
                .status(lag.compareTo(config.outbox().maxLag()) <= 0)
                .withData("oldestUnsentSeconds", lag.toSeconds())
                .withData("parkedRows", relay.parked())
                .build();
    }
}
