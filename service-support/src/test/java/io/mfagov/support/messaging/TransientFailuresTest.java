package io.mfagov.support.messaging;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

class TransientFailuresTest {

    @Test
    void connectionLossDeadlocksAndPoolTimeoutsAnywhereInTheChainAreTransient() {
        assertThat(TransientFailures.isTransient(new RuntimeException("tx", new SQLException("gone", "08006")))).isTrue();
        assertThat(TransientFailures.isTransient(new IllegalStateException(new SQLException("deadlock", "40P01")))).isTrue();
        assertThat(TransientFailures.isTransient(new SQLException("could not serialize", "40001"))).isTrue();
        assertThat(TransientFailures.isTransient(new SQLException("the database system is shutting down", "57P01"))).isTrue();
        assertThat(TransientFailures.isTransient(new SQLTransientConnectionException("no connection"))).isTrue();
        // Agroal's words when the pool has no connection to give
        assertThat(TransientFailures.isTransient(new RuntimeException(new SQLException("Sorry, acquisition timeout!")))).isTrue();
        assertThat(TransientFailures.isTransient(new RuntimeException(new ConnectException("refused")))).isTrue();
    }

    @Test
    void badRecordsAndConstraintViolationsAreNotTransient() {
        assertThat(TransientFailures.isTransient(new IllegalArgumentException("tenantId is required"))).isFalse();
        assertThat(TransientFailures.isTransient(new RuntimeException(new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(TransientFailures.isTransient(new RuntimeException(new SQLException("value too long", "22001")))).isFalse();
        assertThat(TransientFailures.isTransient(new SQLException("no state"))).isFalse();
    }

    @Test
    void aCauseCycleEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(TransientFailures.isTransient(a)).isFalse();
    }
}
