package io.mfagov.notifier.service;

import io.mfagov.keys.api.ApiKeyView;
import io.mfagov.keys.service.ApiKeyAudit;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The notifier's API-key audit hook. The notifier keeps no audit table: the actor of each write is in its rows'
 * {@code created_by}/{@code revoked_by} columns (destinations, mutes, API keys), and key creations and revocations
 * are logged here, one line each, with the same action names the register's audit trail uses. Never the key.
 */
@ApplicationScoped
public class ApiKeyAuditLog implements ApiKeyAudit {

    private static final Logger LOG = Logger.getLogger("io.mfagov.notifier.audit");

    @Override
    public void created(ApiKeyView key, String actor) {
        LOG.infof("%s id=%s name=%s roles=%s actor=%s", CREATED, key.id(), key.name(), String.join(",", key.roles()), actor);
    }

    @Override
    public void revoked(ApiKeyView key, String actor) {
        LOG.infof("%s id=%s name=%s actor=%s", REVOKED, key.id(), key.name(), actor);
    }
}
