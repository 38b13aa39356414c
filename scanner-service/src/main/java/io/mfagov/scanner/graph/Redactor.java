package io.mfagov.scanner.graph;

import java.util.List;

/** Removes configured secrets from any text that may reach logs, events or error messages. */
public final class Redactor {

    private final List<String> secrets;

    public Redactor(List<String> secrets) {
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).toList();
    }

    public String clean(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, "***");
        }
        // bearer tokens and client assertions never belong in a message
        out = out.replaceAll("(?i)(bearer\\s+)[A-Za-z0-9._~+/=:-]+", "$1***");
        out = out.replaceAll("(?i)(client_secret=)[^&\\s]+", "$1***");
        return out.length() > 500 ? out.substring(0, 500) + "…" : out;
    }
}
