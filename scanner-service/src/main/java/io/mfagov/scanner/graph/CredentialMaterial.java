package io.mfagov.scanner.graph;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.ClientAssertionCredentialBuilder;
import com.azure.identity.ClientCertificateCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A credential set's material as read now, and a fingerprint of it: the SHA-256 of the secret or of the file's
 * bytes. The factory keeps a tenant's credential while the fingerprint stays the same and builds a new one when it
 * changes (rotation without restart). A federated token file is not fingerprinted: azure-identity's assertion
 * supplier reads it again on every token request (Kubernetes rotates the projected token itself).
 */
final class CredentialMaterial {

    private static final String DEFAULT_AUTHORITY = "https://login.microsoftonline.com";

    private final CredentialSet set;
    private final String fingerprint;
    private final String secret;
    private final byte[] certificate;
    private final CredentialSets registry;

    private CredentialMaterial(CredentialSet set, String fingerprint, String secret, byte[] certificate,
                               CredentialSets registry) {
        this.set = set;
        this.fingerprint = fingerprint;
        this.secret = secret;
        this.certificate = certificate;
        this.registry = registry;
    }

    String fingerprint() {
        return fingerprint;
    }

    /**
     * Reads the set's material.
     *
     * @throws GraphClientFactory.MissingCredentialsException no client id or credential, or the file cannot be read
     *                                                        (the message names the key and the path, never content)
     */
    static CredentialMaterial read(CredentialSet set, CredentialSets registry) {
        String prefix = set.configPrefix();
        return switch (set.kind()) {
            case NONE -> throw new GraphClientFactory.MissingCredentialsException(set.clientId().isEmpty()
                    ? "no Graph credentials configured for credential set '" + set.name() + "': set " + prefix
                    + "client-id with client-secret, client-secret-file, certificate-path or federated-token-file"
                    : "credential set '" + set.name() + "' has a client id but no credential: set " + prefix
                    + "client-secret, client-secret-file, certificate-path or federated-token-file");
            case CLIENT_SECRET -> new CredentialMaterial(set, "secret:" + sha256(set.clientSecret().get()
                    .getBytes(StandardCharsets.UTF_8)), set.clientSecret().get(), null, registry);
            case CLIENT_SECRET_FILE -> {
                // a mounted secret usually ends in a newline: the secret is the file's content without it
                String value = new String(bytes(set.clientSecretFile().get(), prefix + "client-secret-file"),
                        StandardCharsets.UTF_8).strip();
                if (value.isEmpty()) {
                    throw new GraphClientFactory.MissingCredentialsException("the client secret file of credential set '"
                            + set.name() + "' (" + prefix + "client-secret-file = " + set.clientSecretFile().get()
                            + ") is empty");
                }
                registry.remember(value);
                yield new CredentialMaterial(set, "secret-file:" + sha256(value.getBytes(StandardCharsets.UTF_8)), value,
                        null, registry);
            }
            case CERTIFICATE -> {
                byte[] cert = bytes(set.certificatePath().get(), prefix + "certificate-path");
                yield new CredentialMaterial(set, "certificate:" + sha256(cert)
                        + set.certificatePassword().map(p -> ":" + sha256(p.getBytes(StandardCharsets.UTF_8))).orElse(""),
                        null, cert, registry);
            }
            case FEDERATED_TOKEN_FILE -> {
                Path file = Path.of(set.federatedTokenFile().get());
                if (!Files.isReadable(file)) {
                    throw new GraphClientFactory.MissingCredentialsException("the federated token file of credential set '"
                            + set.name() + "' (" + prefix + "federated-token-file = " + file + ") cannot be read");
                }
                yield new CredentialMaterial(set, "federated:" + file, null, null, registry);
            }
        };
    }

    /** An azure-identity credential for one tenant. */
    TokenCredential credential(String tenantId) {
        String clientId = set.clientId().orElseThrow();
        boolean custom = !DEFAULT_AUTHORITY.equalsIgnoreCase(set.authorityHost());
        return switch (set.kind()) {
            case CLIENT_SECRET, CLIENT_SECRET_FILE -> {
                ClientSecretCredentialBuilder b = new ClientSecretCredentialBuilder().tenantId(tenantId).clientId(clientId)
                        .clientSecret(secret).authorityHost(set.authorityHost());
                if (custom) {
                    b.disableInstanceDiscovery();
                }
                yield b.build();
            }
            case CERTIFICATE -> {
                ClientCertificateCredentialBuilder b = new ClientCertificateCredentialBuilder().tenantId(tenantId)
                        .clientId(clientId).authorityHost(set.authorityHost());
                String lower = set.certificatePath().get().toLowerCase(Locale.ROOT);
                // the bytes fingerprinted are the bytes used: a file replaced in between cannot mix two versions
                if (lower.endsWith(".pfx") || lower.endsWith(".p12")) {
                    b.pfxCertificate(new ByteArrayInputStream(certificate))
                            .clientCertificatePassword(set.certificatePassword().orElse(""));
                } else {
                    b.pemCertificate(new ByteArrayInputStream(certificate));
                }
                if (custom) {
                    b.disableInstanceDiscovery();
                }
                yield b.build();
            }
            case FEDERATED_TOKEN_FILE -> {
                Path file = Path.of(set.federatedTokenFile().get());
                ClientAssertionCredentialBuilder b = new ClientAssertionCredentialBuilder().tenantId(tenantId)
                        .clientId(clientId).authorityHost(set.authorityHost())
                        .clientAssertion(() -> {
                            // read on every token request: Kubernetes rotates the projected token in place
                            try {
                                String token = Files.readString(file, StandardCharsets.UTF_8).strip();
                                registry.remember(token);
                                return token;
                            } catch (IOException e) {
                                throw new IllegalStateException("the federated token file " + file + " cannot be read: "
                                        + e.getClass().getSimpleName());
                            }
                        });
                if (custom) {
                    b.disableInstanceDiscovery();
                }
                yield b.build();
            }
            case NONE -> throw new IllegalStateException("no credential");
        };
    }

    private static byte[] bytes(String path, String key) {
        try {
            return Files.readAllBytes(Path.of(path));
        } catch (IOException | RuntimeException e) {
            throw new GraphClientFactory.MissingCredentialsException("the file of " + key + " (" + path
                    + ") cannot be read: " + e.getClass().getSimpleName());
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
