package io.mfagov.register.service;

import io.mfagov.keys.api.ApiKeyView;
import io.mfagov.keys.service.ApiKeyAudit;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;

/** The register's API-key audit hook: creations and revocations go to the hash-chained audit trail (no tenant). */
@ApplicationScoped
public class ApiKeyAuditTrail implements ApiKeyAudit {

    private final AuditLog audit;

    public ApiKeyAuditTrail(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void created(ApiKeyView key, String actor) {
        audit.append(null, actor, CREATED, "api-key", key.id(), Map.of("name", key.name(), "roles", String.join(",", key.roles())));
    }

    @Override
    public void revoked(ApiKeyView key, String actor) {
        audit.append(null, actor, REVOKED, "api-key", key.id(), Map.of("name", key.name()));
    }
}
