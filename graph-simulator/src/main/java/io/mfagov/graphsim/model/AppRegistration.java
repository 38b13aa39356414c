package io.mfagov.graphsim.model;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An app registration as Entra models it: one client (application) id living in a home tenant, holding its
 * credentials — client secrets (each with an end date), certificates (public part only, found by thumbprint) and
 * federated identity credentials (issuer + subject + audiences). Whether the app may get a token in a tenant is a
 * separate matter: consent there (see {@link Tenant#consent}). Credentials can be added and removed while the
 * simulator runs (rotation). SIMULATOR-ONLY secret values.
 *
 * <pre>{@code
 * AppRegistration.builder("5e1f…").displayName("MSP scanner").homeTenant(partnerId)
 *         .secret("sim-secret-…", Instant.parse("2027-01-01T00:00:00Z"))
 *         .certificate(selfSigned.certificate())
 *         .federatedCredential("https://oidc.cluster.example", "system:serviceaccount:mfagov:scanner")
 *         .build();
 * }</pre>
 */
public final class AppRegistration {

    /** The audience Entra recommends (and defaults to) for federated identity credentials. */
    public static final String DEFAULT_FEDERATED_AUDIENCE = "api://AzureADTokenExchange";

    /** A client secret (password credential); {@code endDateTime} null = never expires. */
    public record Secret(String keyId, String value, Instant endDateTime) {
        public Secret {
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException("a client secret needs a value");
            }
            keyId = keyId != null ? keyId : UUID.randomUUID().toString();
        }

        public boolean expiredAt(Instant now) {
            return endDateTime != null && !now.isBefore(endDateTime);
        }
    }

    /**
     * A certificate (key credential): the public certificate and its thumbprints as clients send them in a client
     * assertion's header: {@code x5t} = base64url(SHA-1(DER)), {@code x5t#S256} = base64url(SHA-256(DER)).
     */
    public record Certificate(X509Certificate certificate, String x5t, String x5tS256, String sha1Hex, String sha256Hex) {
        public static Certificate of(X509Certificate c) {
            try {
                byte[] der = c.getEncoded();
                byte[] s1 = MessageDigest.getInstance("SHA-1").digest(der);
                byte[] s256 = MessageDigest.getInstance("SHA-256").digest(der);
                Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
                HexFormat h = HexFormat.of().withUpperCase();
                return new Certificate(c, b.encodeToString(s1), b.encodeToString(s256), h.formatHex(s1), h.formatHex(s256));
            } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
                throw new IllegalArgumentException("cannot read the certificate: " + e.getMessage(), e);
            }
        }

        public Instant startDateTime() {
            return certificate.getNotBefore().toInstant();
        }

        public Instant endDateTime() {
            return certificate.getNotAfter().toInstant();
        }
    }

    /** A federated identity credential: tokens of {@code issuer} for {@code subject} with one of {@code audiences}. */
    public record FederatedCredential(String name, String issuer, String subject, List<String> audiences) {
        public FederatedCredential {
            if (issuer == null || issuer.isBlank() || subject == null || subject.isBlank()) {
                throw new IllegalArgumentException("a federated identity credential needs an issuer and a subject");
            }
            audiences = audiences == null || audiences.isEmpty() ? List.of(DEFAULT_FEDERATED_AUDIENCE) : List.copyOf(audiences);
            name = name != null ? name : "fic-" + UUID.nameUUIDFromBytes((issuer + "|" + subject).getBytes(StandardCharsets.UTF_8));
        }
    }

    private final String clientId;
    private final String displayName;
    private volatile String homeTenantId;
    private final List<Secret> secrets = new CopyOnWriteArrayList<>();
    private final List<Certificate> certificates = new CopyOnWriteArrayList<>();
    private final List<FederatedCredential> federatedCredentials = new CopyOnWriteArrayList<>();

    private AppRegistration(String clientId, String displayName, String homeTenantId) {
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("an app registration needs a clientId");
        }
        this.clientId = clientId;
        this.displayName = displayName != null ? displayName : "app " + clientId;
        this.homeTenantId = homeTenantId;
    }

    public static Builder builder(String clientId) {
        return new Builder(clientId);
    }

    /** From a tenant fixture's {@code applications} entry; the tenant is the app's home tenant. */
    public static AppRegistration fromFixture(TenantFixture.ApplicationFixture f, String homeTenantId, Instant now) {
        Builder b = builder(f.clientId).displayName(f.displayName).homeTenant(homeTenantId);
        for (TenantFixture.SecretFixture s : f.secrets) {
            b.secret(s.value, s.endDateTime == null ? null : Tenant.fixtureTime(s.endDateTime, now));
        }
        for (String pem : f.certificates) {
            b.certificatePem(pem);
        }
        for (TenantFixture.FederatedCredentialFixture c : f.federatedCredentials) {
            b.federatedCredential(c.name, c.issuer, c.subject, c.audiences);
        }
        return b.build();
    }

    /** A copy (so one registration built in a test can configure several simulators). */
    public AppRegistration copy() {
        AppRegistration a = new AppRegistration(clientId, displayName, homeTenantId);
        a.secrets.addAll(secrets);
        a.certificates.addAll(certificates);
        a.federatedCredentials.addAll(federatedCredentials);
        return a;
    }

    public String clientId() {
        return clientId;
    }

    public String displayName() {
        return displayName;
    }

    /** The tenant the app is registered in (its service principal exists there without consent), or null. */
    public String homeTenantId() {
        return homeTenantId;
    }

    public void setHomeTenantId(String tenantId) {
        this.homeTenantId = tenantId;
    }

    public List<Secret> secrets() {
        return List.copyOf(secrets);
    }

    public List<Certificate> certificates() {
        return List.copyOf(certificates);
    }

    public List<FederatedCredential> federatedCredentials() {
        return List.copyOf(federatedCredentials);
    }

    public Secret addSecret(String value, Instant endDateTime) {
        Secret s = new Secret(null, value, endDateTime);
        secrets.add(s);
        return s;
    }

    /** Removes every secret with this value; false when none had it. */
    public boolean removeSecret(String value) {
        return secrets.removeIf(s -> s.value().equals(value));
    }

    public Certificate addCertificate(X509Certificate c) {
        Certificate cert = Certificate.of(c);
        certificates.removeIf(x -> x.sha256Hex().equals(cert.sha256Hex()));
        certificates.add(cert);
        return cert;
    }

    /** Removes the certificate (by thumbprint); false when it was not registered. */
    public boolean removeCertificate(X509Certificate c) {
        String t = Certificate.of(c).sha256Hex();
        return certificates.removeIf(x -> x.sha256Hex().equals(t));
    }

    public FederatedCredential addFederatedCredential(FederatedCredential c) {
        federatedCredentials.add(c);
        return c;
    }

    public boolean removeFederatedCredential(String name) {
        return federatedCredentials.removeIf(c -> c.name().equals(name));
    }

    /** The certificate whose thumbprint a client assertion names ({@code x5t#S256} preferred over {@code x5t}), or null. */
    public Certificate certificateByThumbprint(String x5t, String x5tS256) {
        // clients differ in the encoding (msal4j sends standard base64 with padding): compare as base64url, unpadded
        x5t = normalize(x5t);
        x5tS256 = normalize(x5tS256);
        for (Certificate c : certificates) {
            if (x5tS256 != null ? c.x5tS256().equals(x5tS256) : x5t != null && c.x5t().equals(x5t)) {
                return c;
            }
        }
        return null;
    }

    /** A base64 or base64url thumbprint as unpadded base64url. */
    public static String normalize(String thumb) {
        if (thumb == null) {
            return null;
        }
        String t = thumb.trim().replace('+', '-').replace('/', '_');
        int end = t.length();
        while (end > 0 && t.charAt(end - 1) == '=') {
            end--;
        }
        return t.substring(0, end);
    }

    private static final Pattern PEM_CERT = Pattern.compile(
            "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+)-----END CERTIFICATE-----");

    /** The first certificate in a PEM text (which may also hold a private key: only the certificate is read). */
    public static X509Certificate parsePem(String pem) {
        Matcher m = PEM_CERT.matcher(Objects.requireNonNull(pem, "pem"));
        if (!m.find()) {
            throw new IllegalArgumentException("no -----BEGIN CERTIFICATE----- block in the PEM text");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1).replaceAll("\\s", ""));
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("invalid certificate in PEM: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        // never the secret values
        return "AppRegistration[" + clientId + ", home " + homeTenantId + ", " + secrets.size() + " secret(s), "
                + certificates.size() + " certificate(s), " + federatedCredentials.size() + " federated credential(s)]";
    }

    /** Builds an {@link AppRegistration}. */
    public static final class Builder {
        private final String clientId;
        private String displayName;
        private String homeTenantId;
        private final List<Secret> secrets = new ArrayList<>();
        private final List<X509Certificate> certificates = new ArrayList<>();
        private final List<FederatedCredential> federated = new ArrayList<>();

        private Builder(String clientId) {
            this.clientId = clientId;
        }

        public Builder displayName(String name) {
            this.displayName = name;
            return this;
        }

        /** The tenant the app is registered in; its service principal exists there (no permissions without consent). */
        public Builder homeTenant(String tenantId) {
            this.homeTenantId = tenantId == null ? null : tenantId.toLowerCase(Locale.ROOT);
            return this;
        }

        /** A client secret that never expires. */
        public Builder secret(String value) {
            return secret(value, null);
        }

        /** A client secret valid until {@code endDateTime} (simulator clock); null = never expires. */
        public Builder secret(String value, Instant endDateTime) {
            secrets.add(new Secret(null, value, endDateTime));
            return this;
        }

        public Builder certificate(X509Certificate c) {
            certificates.add(Objects.requireNonNull(c, "certificate"));
            return this;
        }

        /** A PEM certificate (a PEM file holding key and certificate works: only the certificate is read). */
        public Builder certificatePem(String pem) {
            return certificate(parsePem(pem));
        }

        /** A federated identity credential with the default audience {@value #DEFAULT_FEDERATED_AUDIENCE}. */
        public Builder federatedCredential(String issuer, String subject) {
            return federatedCredential(null, issuer, subject, null);
        }

        public Builder federatedCredential(String name, String issuer, String subject, List<String> audiences) {
            federated.add(new FederatedCredential(name, issuer, subject, audiences));
            return this;
        }

        public AppRegistration build() {
            AppRegistration a = new AppRegistration(clientId, displayName, homeTenantId);
            a.secrets.addAll(secrets);
            certificates.forEach(a::addCertificate);
            a.federatedCredentials.addAll(federated);
            return a;
        }
    }
}
