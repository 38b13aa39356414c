package io.mfagov.notifier.support;

import io.mfagov.devstack.testing.TestTokens;

/** Bearer tokens for the notifier's tests, issued by devstack's {@link TestTokens}, per role. */
public final class Tokens {

    private Tokens() {
    }

    public static String bearer(String user, String... roles) {
        return "Bearer " + TestTokens.token(user, roles);
    }

    public static String admin() {
        return bearer("alice.admin@msp.example", "admin");
    }

    public static String reader() {
        return bearer("rita.reader@msp.example", "reader");
    }

    public static String approver() {
        return bearer("arthur.approver@msp.example", "approver");
    }
}
