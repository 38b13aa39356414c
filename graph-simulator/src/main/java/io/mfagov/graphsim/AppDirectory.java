package io.mfagov.graphsim;

import io.mfagov.graphsim.model.AppRegistration;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Entra's side of app credentials: the app registrations (by client id, across all simulated tenants) and the
 * external token issuers Entra trusts for workload identity federation — each issuer's signing key stands in for the
 * JWKS Entra would fetch from its OIDC discovery document (e.g. a Kubernetes cluster's service-account issuer).
 */
public final class AppDirectory {
    private final Map<String, AppRegistration> apps = new ConcurrentHashMap<>();
    private final Map<String, PublicKey> issuers = new ConcurrentHashMap<>();

    public AppRegistration register(AppRegistration app) {
        if (apps.putIfAbsent(app.clientId().toLowerCase(Locale.ROOT), app) != null) {
            throw new IllegalArgumentException("duplicate app registration " + app.clientId());
        }
        return app;
    }

    /** The registration with this client id, or null. */
    public AppRegistration get(String clientId) {
        return clientId == null ? null : apps.get(clientId.toLowerCase(Locale.ROOT));
    }

    public AppRegistration require(String clientId) {
        AppRegistration a = get(clientId);
        if (a == null) {
            throw new IllegalArgumentException("unknown app registration " + clientId);
        }
        return a;
    }

    public List<AppRegistration> all() {
        return new ArrayList<>(apps.values());
    }

    /** Trusts tokens of {@code issuer} (exact {@code iss} value) signed with {@code key}; replaces an earlier key. */
    public void trustIssuer(String issuer, PublicKey key) {
        if (issuer == null || issuer.isBlank() || key == null) {
            throw new IllegalArgumentException("a trusted issuer needs an issuer URL and a public key");
        }
        issuers.put(issuer, key);
    }

    public void distrustIssuer(String issuer) {
        issuers.remove(issuer);
    }

    /** The signing key of a trusted issuer, or null. */
    public PublicKey issuerKey(String issuer) {
        return issuer == null ? null : issuers.get(issuer);
    }
}
