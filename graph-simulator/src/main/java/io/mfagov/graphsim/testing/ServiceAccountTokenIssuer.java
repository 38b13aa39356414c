package io.mfagov.graphsim.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.graphsim.model.AppRegistration;
import io.mfagov.graphsim.internal.Json;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Test tooling: a Kubernetes-like service-account token issuer (the cluster's OIDC issuer) — an RSA key pair and an
 * issuer URL. Its tokens are what a pod's projected service-account token file holds when workload identity
 * federation is set up (audience {@code api://AzureADTokenExchange}, subject
 * {@code system:serviceaccount:<namespace>:<name>}); a client exchanges one as a client assertion for an Entra token.
 * Tell the simulator to trust it with {@code SimulatorConfig.Builder.trustedIssuer(issuer.issuer(), issuer.publicKey())}.
 * SIMULATOR-ONLY material.
 */
public final class ServiceAccountTokenIssuer {
    private final String issuer;
    private final KeyPair keys;
    private final String kid;

    private ServiceAccountTokenIssuer(String issuer, KeyPair keys) {
        this.issuer = issuer;
        this.keys = keys;
        this.kid = UUID.randomUUID().toString();
    }

    /** A new issuer with its own RSA-2048 key, e.g. {@code https://oidc.cluster.example/mfagov-test/}. */
    public static ServiceAccountTokenIssuer create(String issuerUrl) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return new ServiceAccountTokenIssuer(issuerUrl, g.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code system:serviceaccount:<namespace>:<name>}, the subject Kubernetes puts in the token. */
    public static String subject(String namespace, String serviceAccount) {
        return "system:serviceaccount:" + namespace + ":" + serviceAccount;
    }

    public String issuer() {
        return issuer;
    }

    public PublicKey publicKey() {
        return keys.getPublic();
    }

    /** A token for {@code subject}, audience api://AzureADTokenExchange, valid for an hour from now. */
    public String mint(String subject) {
        return mint(subject, AppRegistration.DEFAULT_FEDERATED_AUDIENCE, Instant.now(), Duration.ofHours(1));
    }

    /** A token for {@code subject} and {@code audience}, issued at {@code issuedAt} (wall clock), valid for {@code ttl}. */
    public String mint(String subject, String audience, Instant issuedAt, Duration ttl) {
        ObjectNode h = Json.obj();
        h.put("alg", "RS256");
        h.put("kid", kid);
        ObjectNode p = Json.obj();
        ArrayNode aud = p.putArray("aud");
        aud.add(audience);
        p.put("exp", issuedAt.plus(ttl).getEpochSecond());
        p.put("iat", issuedAt.getEpochSecond());
        p.put("iss", issuer);
        p.put("jti", UUID.randomUUID().toString());
        ObjectNode k8s = p.putObject("kubernetes.io");
        String[] parts = subject.split(":");
        if (parts.length == 4 && subject.startsWith("system:serviceaccount:")) {
            k8s.put("namespace", parts[2]);
            ObjectNode sa = k8s.putObject("serviceaccount");
            sa.put("name", parts[3]);
            sa.put("uid", UUID.nameUUIDFromBytes(subject.getBytes(StandardCharsets.UTF_8)).toString());
        }
        p.put("nbf", issuedAt.getEpochSecond());
        p.put("sub", subject);
        Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
        String input = b.encodeToString(Json.bytes(h)) + "." + b.encodeToString(Json.bytes(p));
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(keys.getPrivate());
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes a fresh token for {@code subject} to {@code file} atomically, as the kubelet refreshes a projected token
     * (point azure-identity / {@code AZURE_FEDERATED_TOKEN_FILE} at it); returns the file.
     */
    public Path writeToken(Path file, String subject) {
        return SelfSignedCertificate.write(file, mint(subject).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "ServiceAccountTokenIssuer[" + issuer + "]";
    }
}
