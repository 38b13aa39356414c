package io.mfagov.register.service;

import io.mfagov.register.entity.ApiKey;
import io.mfagov.support.auth.ApiKeyStore;
import io.mfagov.support.auth.ApiKeys;
import io.mfagov.support.auth.BootstrapAdminKey;
import io.mfagov.support.auth.Roles;
import io.mfagov.support.problem.Check;
import io.mfagov.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** API keys for PSAs: created and revoked by an admin, the key shown once, only its hash stored. */
@ApplicationScoped
public class ApiKeyService implements ApiKeyStore {

    private final EntityManager em;
    private final AuditLog audit;

    public ApiKeyService(EntityManager em, AuditLog audit) {
        this.em = em;
        this.audit = audit;
    }

    public record Created(ApiKey record, String key) {
    }

    @Transactional
    public Created create(String name, List<String> roles, String actor) {
        String keyName = Check.maxLength("name", Check.required("name", name).trim(), 128);
        if (!keyName.matches("[A-Za-z0-9._-]+")) {
            throw ProblemException.invalid("name", "name may contain letters, digits, '.', '_' and '-' only");
        }
        if (keyName.equalsIgnoreCase(BootstrapAdminKey.NAME)) {
            // Its actor would read apikey:bootstrap-admin, indistinguishable from the bootstrap key in the audit trail.
            throw ProblemException.invalid("name", "'" + BootstrapAdminKey.NAME + "' is reserved for the bootstrap key");
        }
        if (roles == null || roles.isEmpty()) {
            throw ProblemException.invalid("roles", "roles must name at least one of " + Roles.ALL);
        }
        Set<String> normalised = new LinkedHashSet<>();
        for (int i = 0; i < roles.size(); i++) {
            String role = roles.get(i);
            if (!Roles.isKnown(role)) {
                throw ProblemException.invalid("roles[" + i + "]", "'" + role + "' is not one of " + Roles.ALL);
            }
            normalised.add(role.toLowerCase(Locale.ROOT));
        }
        if (!em.createQuery("from ApiKey where name = :n", ApiKey.class).setParameter("n", keyName).getResultList().isEmpty()) {
            throw ProblemException.conflict("an API key named " + keyName + " exists");
        }
        String key = ApiKeys.generate();
        ApiKey record = new ApiKey();
        record.id = UUID.randomUUID();
        record.name = keyName;
        record.keyHash = ApiKeys.hash(key);
        record.roles = String.join(",", normalised);
        record.createdBy = actor;
        record.createdAt = Instant.now();
        em.persist(record);
        audit.append(null, actor, "API_KEY_CREATED", "api-key", record.id, Map.of("name", keyName, "roles", record.roles));
        return new Created(record, key);
    }

    @Transactional
    public List<ApiKey> list() {
        return em.createQuery("from ApiKey order by createdAt", ApiKey.class).getResultList();
    }

    @Transactional
    public ApiKey revoke(String id, String actor) {
        ApiKey record = em.find(ApiKey.class, Check.uuid("id", id));
        if (record == null) {
            throw ProblemException.notFound("API key", id);
        }
        if (record.revokedAt != null) {
            throw ProblemException.conflict("API key " + record.name + " is already revoked");
        }
        record.revokedAt = Instant.now();
        record.revokedBy = actor;
        audit.append(null, actor, "API_KEY_REVOKED", "api-key", record.id, Map.of("name", record.name));
        return record;
    }

    @Override
    @Transactional
    public Optional<ApiKeyIdentity> findActiveByHash(String keyHash) {
        return em.createQuery("from ApiKey where keyHash = :h and revokedAt is null", ApiKey.class)
                .setParameter("h", keyHash).getResultStream().findFirst()
                .map(k -> new ApiKeyIdentity(k.name, Arrays.stream(k.roles.split(",")).collect(Collectors.toSet())));
    }
}
