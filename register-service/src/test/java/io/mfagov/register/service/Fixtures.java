package io.mfagov.register.service;

import io.mfagov.register.config.RegisterConfig;
import io.mfagov.register.entity.ExceptionPrincipal;
import io.mfagov.register.entity.ExceptionRecord;
import io.mfagov.register.entity.Exclusion;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/** Plain entity objects for the unit tests of pure decisions (nothing is stored). */
final class Fixtures {

    static final String TENANT = "11111111-1111-1111-1111-111111111111";
    static final String POLICY = "22222222-2222-2222-2222-222222222222";
    static final String USER = "33333333-3333-3333-3333-333333333333";
    static final String GROUP = "44444444-4444-4444-4444-444444444444";
    static final String INNER_GROUP = "55555555-5555-5555-5555-555555555555";
    static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");

    private Fixtures() {
    }

    /** A present exclusion of {@link #USER} from {@link #POLICY}, reached through GROUP > INNER_GROUP. */
    static Exclusion exclusion() {
        Exclusion e = new Exclusion();
        e.id = UUID.randomUUID();
        e.tenantId = TENANT;
        e.policyId = POLICY;
        e.principalType = "USER";
        e.principalId = USER;
        e.viaKind = "GROUP";
        e.viaId = GROUP;
        e.viaPathIds = GROUP + " " + INNER_GROUP;
        e.appearedAt = NOW.minus(30, ChronoUnit.DAYS);
        return e;
    }

    static ExceptionRecord exception(ExceptionRecord.Status status, Instant expiresAt, String... principalIds) {
        ExceptionRecord x = new ExceptionRecord();
        x.id = UUID.randomUUID();
        x.tenantId = TENANT;
        x.category = "LEGACY_APP";
        x.status = status.name();
        x.requestedBy = "alice@msp.example";
        x.requestedAt = NOW.minus(10, ChronoUnit.DAYS);
        x.expiresAt = expiresAt;
        for (String id : principalIds) {
            x.principals.add(new ExceptionPrincipal(id, "USER", null));
        }
        return x;
    }

    static Instant inDays(long days) {
        return NOW.plus(days, ChronoUnit.DAYS);
    }

    record Category(int maxDays, Optional<Integer> reviewEveryDays, String approverRole, boolean ticketRequired)
            implements RegisterConfig.Category {

        @Override
        public boolean enforceable() {
            return true;
        }
    }
}
