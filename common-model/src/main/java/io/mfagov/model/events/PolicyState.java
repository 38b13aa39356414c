package io.mfagov.model.events;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** A Conditional Access policy's state, as Graph names it in {@link #graphValue()}. */
public enum PolicyState {
    /** {@code enabled}: enforced. */
    ENABLED("enabled"),
    /** {@code enabledForReportingButNotEnforced}: report-only; its exclusions are reported, marked so. */
    REPORT_ONLY("enabledForReportingButNotEnforced"),
    /** {@code disabled}: ignored by the scanner. */
    DISABLED("disabled"),
    /** A value added by a newer producer. Never produced. */
    @JsonEnumDefaultValue
    UNKNOWN("unknownFutureValue");

    private final String graphValue;

    PolicyState(String graphValue) {
        this.graphValue = graphValue;
    }

    public String graphValue() {
        return graphValue;
    }

    public static PolicyState fromGraph(String value) {
        for (PolicyState state : values()) {
            if (state.graphValue.equals(value)) {
                return state;
            }
        }
        return UNKNOWN;
    }
}
