package io.mfagov.notifier.service;

import io.mfagov.notifier.repository.ApiKey;
import io.mfagov.notifier.repository.ApiKeyRepository;
import io.mfagov.notifier.api.ApiRecords.ApiKeyCreated;
import io.mfagov.notifier.api.ApiRecords.ApiKeyInput;
import io.mfagov.notifier.api.ApiRecords.ApiKeyView;
import io.mfagov.support.auth.ApiKeyStore;
import io.mfagov.support.auth.ApiKeys;
import io.mfagov.support.auth.BootstrapAdminKey;
import io.mfagov.support.auth.Roles;
import io.mfagov.support.problem.Problem;
import io.mfagov.support.problem.ProblemException;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** API keys of the notifier's API (created and revoked by an admin; the key itself shown once). */
@ApplicationScoped
public class ApiKeyService implements ApiKeyStore {

    private final ApiKeyRepository keys;

    public ApiKeyService(ApiKeyRepository keys) {
        this.keys = keys;
    }

    @Override
    @Transactional
    public Optional<ApiKeyIdentity> findActiveByHash(String keyHash) {
        return keys.find("keyHash = ?1 and revokedAt is null", keyHash).firstResultOptional()
                .map(k -> new ApiKeyIdentity("apikey:" + k.name, roles(k.roles)));
    }

    @Transactional
    public ApiKeyCreated create(ApiKeyInput input, String actor) {
        if (input == null || input.name() == null || input.name().isBlank()) {
            throw ProblemException.invalid("name", "name is required");
        }
        String name = input.name().strip();
        if (name.length() > 200) {
            throw ProblemException.invalid("name", "name is longer than 200 characters");
        }
        if (input.roles() == null || input.roles().isEmpty()) {
            throw ProblemException.invalid("roles", "roles is required: one or more of " + Roles.ALL);
        }
        Set<String> roles = new LinkedHashSet<>();
        for (int i = 0; i < input.roles().size(); i++) {
            String role = input.roles().get(i);
            if (!Roles.isKnown(role)) {
                throw ProblemException.invalid("roles[" + i + "]", "'" + role + "' is not one of " + Roles.ALL);
            }
            roles.add(role.toLowerCase(Locale.ROOT));
        }
        // A name is an actor (apikey:<name>) in every record it leaves: one name, one credential, forever,
        // so a revoked key's name is never handed to a new key, nor the bootstrap admin key's.
        if (BootstrapAdminKey.NAME.equalsIgnoreCase(name)) {
            throw nameConflict("the name '" + name + "' is reserved for the bootstrap admin key");
        }
        if (keys.count("lower(name) = ?1", name.toLowerCase(Locale.ROOT)) > 0) {
            throw nameConflict("an API key named '" + name + "' exists or existed (names are never reused, also after revocation)");
        }
        String key = ApiKeys.generate();
        ApiKey k = new ApiKey();
        k.id = UUID.randomUUID();
        k.name = name;
        k.keyHash = ApiKeys.hash(key);
        k.roles = String.join(",", roles);
        k.createdAt = Instant.now();
        k.createdBy = actor;
        keys.persist(k);
        return new ApiKeyCreated(view(k), key);
    }

    @Transactional
    public List<ApiKeyView> list() {
        return keys.listAll(Sort.descending("createdAt")).stream().map(ApiKeyService::view).toList();
    }

    @Transactional
    public ApiKeyView revoke(UUID id, String actor) {
        ApiKey k = keys.findById(id);
        if (k == null) {
            throw ProblemException.notFound("API key", id);
        }
        if (k.revokedAt != null) {
            throw ProblemException.conflict("API key " + id + " is already revoked");
        }
        k.revokedAt = Instant.now();
        k.revokedBy = actor;
        return view(k);
    }

    private static ProblemException nameConflict(String detail) {
        return new ProblemException(Problem.of(409, "illegal-transition", "Conflict with the current state", detail, "name"));
    }

    private static Set<String> roles(String stored) {
        return new LinkedHashSet<>(Arrays.asList(stored.split(",")));
    }

    private static ApiKeyView view(ApiKey k) {
        return new ApiKeyView(k.id, k.name, List.copyOf(roles(k.roles)), k.createdAt, k.createdBy, k.revokedAt, k.revokedBy);
    }
}
