package io.mfagov.scanner.graph;

import java.util.Optional;

/**
 * One named set of Graph credentials: an app registration (client id) and exactly one way to prove it — a client
 * secret (value or file), a certificate (PEM with key, or PFX/P12), or a workload identity federation token file (a
 * projected Kubernetes service-account token exchanged as a client assertion: no secret at all). When several are
 * configured the first of that order is used. Names are what tenants' {@code credentialRef} carries; the default set
 * (the top-level {@code mfagov.graph.*} keys) is {@link #DEFAULT}.
 *
 * <p>{@link #toString()} never shows the secret or the password.
 */
public record CredentialSet(
        String name,
        Optional<String> clientId,
        Optional<String> clientSecret,
        Optional<String> clientSecretFile,
        Optional<String> certificatePath,
        Optional<String> certificatePassword,
        Optional<String> federatedTokenFile,
        String authorityHost) {

    public static final String DEFAULT = "default";

    /** How the set proves the app's identity. */
    public enum Kind {
        CLIENT_SECRET, CLIENT_SECRET_FILE, CERTIFICATE, FEDERATED_TOKEN_FILE, NONE
    }

    public CredentialSet {
        clientId = blankToEmpty(clientId);
        clientSecret = blankToEmpty(clientSecret);
        clientSecretFile = blankToEmpty(clientSecretFile);
        certificatePath = blankToEmpty(certificatePath);
        certificatePassword = blankToEmpty(certificatePassword);
        federatedTokenFile = blankToEmpty(federatedTokenFile);
        if (authorityHost == null || authorityHost.isBlank()) {
            authorityHost = "https://login.microsoftonline.com";
        }
        if (authorityHost.endsWith("/")) {
            authorityHost = authorityHost.substring(0, authorityHost.length() - 1);
        }
    }

    private static Optional<String> blankToEmpty(Optional<String> o) {
        return o == null ? Optional.empty() : o.filter(s -> !s.isBlank());
    }

    public Kind kind() {
        if (clientId.isEmpty()) {
            return Kind.NONE;
        }
        if (clientSecret.isPresent()) {
            return Kind.CLIENT_SECRET;
        }
        if (clientSecretFile.isPresent()) {
            return Kind.CLIENT_SECRET_FILE;
        }
        if (certificatePath.isPresent()) {
            return Kind.CERTIFICATE;
        }
        if (federatedTokenFile.isPresent()) {
            return Kind.FEDERATED_TOKEN_FILE;
        }
        return Kind.NONE;
    }

    /** The file whose content is the credential material (null for a secret given as a value). */
    public String materialFile() {
        return switch (kind()) {
            case CLIENT_SECRET_FILE -> clientSecretFile.get();
            case CERTIFICATE -> certificatePath.get();
            case FEDERATED_TOKEN_FILE -> federatedTokenFile.get();
            default -> null;
        };
    }

    /** The configuration prefix of this set, for messages. */
    public String configPrefix() {
        return DEFAULT.equals(name) ? "mfagov.graph." : "mfagov.graph.credentials.\"" + name + "\".";
    }

    @Override
    public String toString() {
        return "CredentialSet[" + name + ", " + kind() + ", clientId=" + clientId.orElse("-") + "]";
    }
}
