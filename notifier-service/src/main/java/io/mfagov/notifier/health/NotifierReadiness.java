package io.mfagov.notifier.health;

import io.mfagov.notifier.delivery.DeliveryWorker;
import io.mfagov.notifier.outbound.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when destination secrets can be opened (the key is configured) and the delivery worker runs. */
@Readiness
@ApplicationScoped
public class NotifierReadiness implements HealthCheck {

    private final SecretBox secrets;
    private final DeliveryWorker worker;

    public NotifierReadiness(SecretBox secrets, DeliveryWorker worker) {
        this.secrets = secrets;
        this.worker = worker;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("notifier")
                .status(secrets.configured() && worker.running())
                .withData("secret-key-configured", secrets.configured())
                .withData("delivery-worker-running", worker.running())
                .withData("requests-in-flight", worker.inFlight())
                .build();
    }
}
