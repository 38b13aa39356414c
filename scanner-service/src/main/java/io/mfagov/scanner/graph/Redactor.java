package io.mfagov.scanner.graph;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Removes secrets from any text that may reach logs, events or error messages: the configured ones and those read
 * from files since (a rotated secret file, a federated token), bearer tokens, client secrets and client assertions in
 * form bodies, and anything shaped like a JWT.
 */
public final class Redactor {

    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=:-]+");
    private static final Pattern FORM_SECRET = Pattern.compile("(?i)((?:client_secret|client_assertion|access_token)=)[^&\\s]+");
    /** A JWT (access token, client assertion, service-account token): header.payload.signature, base64url. */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");

    private final Supplier<? extends Collection<String>> secrets;

    public Redactor(List<String> secrets) {
        List<String> fixed = List.copyOf(secrets.stream().filter(s -> s != null).toList());
        this.secrets = () -> fixed;
    }

    /** With secrets that can grow (values read from files). */
    public Redactor(Supplier<? extends Collection<String>> secrets) {
        this.secrets = secrets;
    }

    public String clean(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets.get()) {
            if (s != null && s.length() >= 4) {
                out = out.replace(s, "***");
            }
        }
        out = BEARER.matcher(out).replaceAll("$1***");
        out = FORM_SECRET.matcher(out).replaceAll("$1***");
        out = JWT.matcher(out).replaceAll("***");
        return out.length() > 500 ? out.substring(0, 500) + "…" : out;
    }
}
