package io.mfagov.deploycheck;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.mfagov.model.Topics;

/**
 * The three services, as the manifests name them. The in-repo modules whose config a service reads (its own and
 * service-support) and the topics the register's outbox writes (it has no outgoing channel: its own producer sends
 * the outbox rows, see KafkaRecordProducer) are stated here; everything else is read from the code.
 */
enum Service {
    SCANNER("scanner", "scanner-service", Set.of()),
    REGISTER("register", "register-service",
            // the outbox relay sends ScanRequested, RemediationRequested and AlertRaised (EventType.topic())
            Set.of(Topics.SCAN_REQUESTS, Topics.REMEDIATION_REQUESTS, Topics.ALERTS)),
    NOTIFIER("notifier", "notifier-service", Set.of());

    final String shortName;
    final String module;
    final Set<String> outboxTopics;

    Service(String shortName, String module, Set<String> outboxTopics) {
        this.shortName = shortName;
        this.module = module;
        this.outboxTopics = outboxTopics;
    }

    /** Modules whose application.properties / @ConfigMapping the service runs with. */
    List<String> configModules() {
        return List.of(module, "service-support");
    }

    /** The service a Deployment, container or KafkaUser belongs to, by the name it carries. */
    static Optional<Service> named(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (Service s : values()) {
            if (name.contains(s.shortName)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
