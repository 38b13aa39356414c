package io.mfagov.keys.service;

import io.mfagov.keys.api.ApiKeyInput;
import io.mfagov.keys.api.ApiKeyView;
import io.mfagov.keys.api.CreatedApiKey;
import io.mfagov.keys.entity.ApiKey;
import io.mfagov.support.auth.ApiKeyStore;
import io.mfagov.support.auth.ApiKeys;
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
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * API keys: created and revoked by an admin, the key shown once, only its hash stored; every creation and
 * revocation goes to the service's {@link ApiKeyAudit} in the same transaction. Also the service's
 * {@link ApiKeyStore}: the identity provider (service-support) turns a key into the actor {@code apikey:<name>}.
 */
@ApplicationScoped
public class ApiKeyService implements ApiKeyStore {

    private final EntityManager em;
    private final ApiKeyAudit audit;

    public ApiKeyService(EntityManager em, ApiKeyAudit audit) {
        this.em = em;
        this.audit = audit;
    }

    @Transactional
    public CreatedApiKey create(ApiKeyInput input, String actor) {
        Check.required("body", input);
        String name = ApiKeyRules.name(input.name());
        Set<String> roles = ApiKeyRules.roles(input.roles());
        boolean taken = !em.createQuery("select k.id from ApiKey k where lower(k.name) = :n", UUID.class)
                .setParameter("n", name.toLowerCase(Locale.ROOT)).setMaxResults(1).getResultList().isEmpty();
        if (taken) {
            throw ApiKeyRules.nameTaken(name);
        }
        String key = ApiKeys.generate();
        ApiKey record = new ApiKey();
        record.id = UUID.randomUUID();
        record.name = name;
        record.keyHash = ApiKeys.hash(key);
        record.roles = String.join(",", roles);
        record.createdBy = actor;
        record.createdAt = Instant.now();
        em.persist(record);
        ApiKeyView view = view(record);
        audit.created(view, actor);
        return new CreatedApiKey(view, key);
    }

    /** Every key, revoked ones too, oldest first. */
    @Transactional
    public List<ApiKeyView> list() {
        return em.createQuery("from ApiKey order by createdAt, name", ApiKey.class).getResultStream()
                .map(ApiKeyService::view).toList();
    }

    @Transactional
    public ApiKeyView revoke(String id, String actor) {
        ApiKey record = em.find(ApiKey.class, Check.uuid("id", id));
        if (record == null) {
            throw ProblemException.notFound("API key", id);
        }
        if (record.revokedAt != null) {
            throw ProblemException.conflict("API key " + record.name + " is already revoked");
        }
        record.revokedAt = Instant.now();
        record.revokedBy = actor;
        ApiKeyView view = view(record);
        audit.revoked(view, actor);
        return view;
    }

    /** The key's name (without the {@code apikey:} prefix the identity provider adds) and roles. */
    @Override
    @Transactional
    public Optional<ApiKeyIdentity> findActiveByHash(String keyHash) {
        return em.createQuery("from ApiKey where keyHash = :h and revokedAt is null", ApiKey.class)
                .setParameter("h", keyHash).getResultStream().findFirst()
                .map(k -> new ApiKeyIdentity(k.name, roles(k.roles)));
    }

    private static Set<String> roles(String stored) {
        return new LinkedHashSet<>(Arrays.asList(stored.split(",")));
    }

    private static ApiKeyView view(ApiKey k) {
        return new ApiKeyView(k.id, k.name, List.copyOf(roles(k.roles)), k.createdBy, k.createdAt, k.revokedBy,
                k.revokedAt);
    }
}
