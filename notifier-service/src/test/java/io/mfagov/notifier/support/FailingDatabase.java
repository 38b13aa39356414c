package io.mfagov.notifier.support;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Tests only: makes the real PostgreSQL database fail while named alerts are taken in, through a trigger on
 * {@code received_alert} (every other alert is untouched). The failure is PostgreSQL's own: the application
 * sees it through the JDBC driver, Hibernate and the transaction manager exactly as a real one. The attempts are
 * counted in a sequence, which a rollback does not undo.
 */
public final class FailingDatabase {

    private final DataSource dataSource;

    public FailingDatabase(DataSource dataSource) {
        this.dataSource = dataSource;
        execute("""
                create table if not exists test_failing_alert (
                    alert_id varchar(512) primary key,
                    seq      varchar(63)  not null,
                    times    integer      not null,
                    state    varchar(5)   not null
                )""", """
                create or replace function test_failing_alert() returns trigger language plpgsql as $$
                declare
                    f record;
                    n bigint;
                begin
                    select * into f from test_failing_alert where alert_id = new.alert_id;
                    if found then
                        n := nextval(f.seq);
                        if n <= f.times then
                            raise exception 'test: alert % cannot be stored (attempt %)', new.alert_id, n
                                using errcode = f.state;
                        end if;
                    end if;
                    return new;
                end $$""",
                "drop trigger if exists test_failing_alert on received_alert",
                "create trigger test_failing_alert before insert on received_alert"
                        + " for each row execute function test_failing_alert()");
    }

    /**
     * The next {@code times} attempts to store the alert fail with SQLState 08006 (connection_failure, as
     * when the server goes away mid-transaction).
     */
    public void failTransiently(String alertId, int times) {
        fail(alertId, times, "08006");
    }

    /** Every attempt to store the alert fails with an error of the record itself (22023 invalid_parameter_value). */
    public void failPermanently(String alertId) {
        fail(alertId, Integer.MAX_VALUE, "22023");
    }

    /** How many attempts to store the alert there were (failed or not). */
    public long attempts(String alertId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement find = c.prepareStatement("select seq from test_failing_alert where alert_id = ?")) {
            find.setString(1, alertId);
            try (ResultSet rs = find.executeQuery()) {
                if (!rs.next()) {
                    return 0;
                }
                try (Statement s = c.createStatement();
                     ResultSet seq = s.executeQuery("select last_value, is_called from " + rs.getString(1))) {
                    seq.next();
                    return seq.getBoolean(2) ? seq.getLong(1) : 0;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes the trigger (the database works normally again for every alert). */
    public void remove() {
        execute("drop trigger if exists test_failing_alert on received_alert");
    }

    private void fail(String alertId, int times, String state) {
        String seq = "test_failing_alert_" + UUID.randomUUID().toString().replace("-", "");
        execute("create sequence " + seq);
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("insert into test_failing_alert values (?, ?, ?, ?)")) {
            insert.setString(1, alertId);
            insert.setString(2, seq);
            insert.setInt(3, times);
            insert.setString(4, state);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void execute(String... statements) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
