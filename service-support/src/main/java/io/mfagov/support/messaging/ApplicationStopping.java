package io.mfagov.support.messaging;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.function.BooleanSupplier;

/**
 * True once Quarkus has begun to shut down: a consumer's transient retries end and leave the records undecided for
 * redelivery instead of holding the shutdown ({@link BatchIntake.Builder#stopping}). One bean per application.
 */
@ApplicationScoped
public class ApplicationStopping implements BooleanSupplier {

    private volatile boolean stopping;

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @Override
    public boolean getAsBoolean() {
        return stopping;
    }
}
