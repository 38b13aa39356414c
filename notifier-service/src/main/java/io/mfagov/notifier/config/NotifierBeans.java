package io.mfagov.notifier.config;

import io.mfagov.notifier.outbound.UrlPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.List;

/** Beans built from configuration. */
@ApplicationScoped
public class NotifierBeans {

    @Produces
    @Singleton
    UrlPolicy urlPolicy(NotifierConfig config) {
        return new UrlPolicy(config.allowLoopback(),
                UrlPolicy.combine(config.allowedHosts(), config.psaHosts().orElse(List.of())));
    }
}
