package io.mfagov.register.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * Whether an excluded principal (a user, service principal or application) is used, judged from the register's own
 * history of scans (Graph keeps 30 days of sign-ins): never a guess — while the history is shorter than
 * {@code unusedAfterDays} and no sign-in was seen in it, the verdict is INSUFFICIENT_HISTORY.
 */
@Schema(name = "Usage")
public record UsageView(
        String principalType,
        String principalId,
        @Schema(description = "USED (a sign-in within unusedAfterDays of asOf), UNUSED (none for unusedAfterDays, and the"
                + " history covers them), INSUFFICIENT_HISTORY (none seen, but the history is shorter)") String verdict,
        @Schema(description = "The latest successful sign-in seen across all scans (null: none seen)") Instant lastSignIn,
        @Schema(description = "The latest successful single-factor sign-in seen across all scans") Instant lastSingleFactorSignIn,
        @Schema(description = "Days from lastSignIn to asOf") Integer daysSinceLastSignIn,
        @Schema(description = "Days of sign-in history the register holds for the principal: the uninterrupted windows"
                + " of COMPLETE scans that read sign-ins, back from the latest") int historyDays,
        @Schema(description = "Where that history starts") Instant historyStart,
        @Schema(description = "The end of the latest such scan's window: what the verdict is as of") Instant asOf,
        int unusedAfterDays,
        @Schema(description = "The verdict for people, e.g. 'history covers 41 of 90 days'") String reason) {

    /** The usage of an exception: of each principal it excludes (its exclusions'), and overall. */
    @Schema(name = "ExceptionUsage")
    public record OfException(
            @Schema(description = "USED if any principal is used, UNUSED if every one is unused, else"
                    + " INSUFFICIENT_HISTORY; null when it excludes no user, service principal or application")
            String verdict,
            int unusedAfterDays,
            List<UsageView> principals) {
    }
}
