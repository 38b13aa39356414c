package io.mfagov.register.service;

import io.mfagov.register.entity.Exclusion;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** An exclusion's whole-policy facts as text for people: alert facts and CSV cells. */
public final class ExclusionFacts {

    private ExclusionFacts() {
    }

    /** {@code key=value; key=value}, in the order the scanner sent them. */
    public static String details(Map<String, String> details) {
        return details.entrySet().stream().map(d -> d.getKey() + "=" + d.getValue()).collect(Collectors.joining("; "));
    }

    /** {@code flag; flag}. */
    public static String flags(List<String> flags) {
        return String.join("; ", flags);
    }

    /** The closing policy's name with its id, {@code Block legacy authentication (pol-5)}; null when none. */
    public static String closedBy(String id, String name) {
        if (id == null) {
            return null;
        }
        return name == null || name.isBlank() ? id : name + " (" + id + ")";
    }

    /** Whether this row is a hole of the policy itself (an excluded platform, a non-MFA alternative, ...). */
    public static boolean isHole(Exclusion e) {
        return "CONDITION".equals(e.viaKind);
    }

    /** A hole for people: {@code client app type Exchange ActiveSync clients}, {@code platform linux}. */
    public static String hole(Exclusion e) {
        String what = e.principalType == null ? "condition" : e.principalType.toLowerCase(Locale.ROOT).replace('_', ' ');
        String name = e.principalDisplayName == null || e.principalDisplayName.isBlank() ? e.principalId : e.principalDisplayName;
        return what + " " + name;
    }
}
