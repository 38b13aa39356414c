package io.mfagov.register;

import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static io.mfagov.register.RegisterTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.is;

/** The audit trail is append-only in the database, and the hash chain exposes an altered row. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(TestTokens.class)
class AuditTrailTest {

    private static Connection db() throws SQLException {
        return DriverManager.getConnection(PostgresTestResource.jdbcUrl(), PostgresTestResource.username(),
                PostgresTestResource.password());
    }

    @Test
    void theDatabaseRefusesToUpdateOrDeleteAuditEvents() throws SQLException {
        createTenant(newTenant());
        try (Connection c = db(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("update audit_event set actor = 'mallory'"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.executeUpdate("delete from audit_event"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.executeUpdate("truncate audit_event"))
                    .hasMessageContaining("append-only");
        }
    }

    @Test
    void verificationFindsTheFirstAlteredRowAndPassesOnceItIsRestored() throws SQLException {
        String tenant = newTenant();
        createTenant(tenant);
        reader().get("/api/v1/audit/verify").then().statusCode(200).body("ok", is(true));

        try (Connection c = db(); Statement s = c.createStatement()) {
            long seq;
            String actor;
            try (ResultSet r = s.executeQuery("select seq, actor from audit_event where tenant_id = '" + tenant
                    + "' and action = 'TENANT_CREATED'")) {
                assertThat(r.next()).isTrue();
                seq = r.getLong(1);
                actor = r.getString(2);
            }
            // A superuser can bypass triggers; the chain still shows it.
            s.execute("set session_replication_role = replica");
            s.executeUpdate("update audit_event set actor = 'mallory' where seq = " + seq);
            try {
                reader().get("/api/v1/audit/verify").then().statusCode(200).body("ok", is(false))
                        .body("firstBrokenSeq", is((int) seq)).body("reason", org.hamcrest.Matchers.containsString("altered"));
            } finally {
                s.executeUpdate("update audit_event set actor = '" + actor + "' where seq = " + seq);
                s.execute("set session_replication_role = origin");
            }
        }
        reader().get("/api/v1/audit/verify").then().statusCode(200).body("ok", is(true));
    }
}
