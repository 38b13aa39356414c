package io.mfagov.notifier.service;

import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.Severity;
import io.mfagov.notifier.repository.Destination;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which destinations an alert goes to. For an alert of kind K in tenant T: T's own enabled destinations
 * that take K, if T has any; otherwise the MSP default destinations (no tenant) that take K. Then only
 * those whose minimum severity the alert reaches. An alert of a kind this version does not know goes
 * only to destinations that take every kind.
 */
public final class Routing {

    private Routing() {
    }

    public static List<Destination> route(List<Destination> candidates, String tenantId, AlertKind kind, Severity severity) {
        List<Destination> tenants = candidates.stream()
                .filter(d -> d.enabled && tenantId.equals(d.tenantId) && takes(d, kind)).toList();
        List<Destination> chosen = !tenants.isEmpty() ? tenants
                : candidates.stream().filter(d -> d.enabled && d.tenantId == null && takes(d, kind)).toList();
        return chosen.stream().filter(d -> reaches(severity, d.minSeverity)).toList();
    }

    static boolean takes(Destination d, AlertKind kind) {
        Set<String> kinds = kinds(d.kinds);
        return kinds.isEmpty() || kinds.contains(kind.name());
    }

    static boolean reaches(Severity severity, Severity minimum) {
        if (severity == Severity.UNKNOWN || minimum == null) {
            return true; // a newer producer's severity: deliver rather than drop
        }
        return severity.ordinal() >= minimum.ordinal();
    }

    public static Set<String> kinds(String stored) {
        if (stored == null || stored.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(stored.split(",")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    public static String store(List<AlertKind> kinds) {
        if (kinds == null || kinds.isEmpty()) {
            return null;
        }
        return kinds.stream().map(Enum::name).distinct().sorted().collect(Collectors.joining(","));
    }
}
