package io.mfagov.model.events;

import io.mfagov.model.Require;

/** A link an alert offers, e.g. to the exception in the register's API or console. */
public record AlertLink(String title, String url) {

    public AlertLink {
        Require.text(title, "links.title");
        Require.text(url, "links.url");
    }
}
