package io.mfagov.register.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A shared, room or resource mailbox to list: exactly one of {@code userId} and {@code upnPattern}. */
public record SharedMailboxInput(
        @Schema(description = "The account's object id (GUID)") String userId,
        @Schema(description = "A UPN glob, case-insensitive: * any run of characters, ? one; the domain is literal,"
                + " e.g. room-*@contoso.com") String upnPattern,
        @Schema(description = "What the account is, up to 1,024 characters") String note) {
}
