package io.mfagov.model.events;

import io.mfagov.model.EventPayload;
import io.mfagov.model.Require;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Something a person must know or act on. Topic {@code mfagov.alerts}, key tenantId.
 *
 * @param alertId     deterministic from what the alert is about (kind + subject + the date that makes it distinct),
 *                    so a replayed cause yields the same id and destinations deduplicate on it
 * @param kind        what happened
 * @param severity    how urgent
 * @param subject     one line for people, e.g. "svc-scanner@contoso.com excluded from 'Require MFA for all users'"
 * @param exclusionId the register's exclusion id, when about one exclusion
 * @param exceptionId the register's exception id, when about one exception
 * @param facts       label → value pairs shown on cards (tenant, principal, policy, path, status, expiry, reason)
 * @param links       actions
 */
public record AlertRaised(
        String alertId,
        String tenantId,
        AlertKind kind,
        Severity severity,
        String subject,
        String exclusionId,
        String exceptionId,
        Map<String, String> facts,
        List<AlertLink> links,
        Instant raisedAt) implements EventPayload {

    /**
     * The fact label under which an alert says what a person should do about it (e.g. retire an unused exception);
     * the notifier shows it apart from the other facts.
     */
    public static final String SUGGESTED_ACTION = "Suggested action";

    public AlertRaised {
        Require.text(alertId, "alertId");
        Require.guid(tenantId, "tenantId");
        Require.present(kind, "kind");
        Require.present(severity, "severity");
        Require.text(subject, "subject");
        Require.present(raisedAt, "raisedAt");
        facts = facts == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(facts));
        links = links == null ? List.of() : List.copyOf(links);
    }

    @Override
    public String correlationId() {
        return alertId;
    }
}
