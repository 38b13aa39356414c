package io.mfagov.notifier.support;

import io.smallrye.jwt.build.Jwt;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

/** RS256 bearer tokens as Entra ID would issue them (app roles in {@code roles}), signed by the test. */
public final class Tokens {

    public static final String ISSUER = "https://test.mfagov.invalid/issuer";
    public static final String AUDIENCE = "api://mfagov";

    private Tokens() {
    }

    public static String bearer(String user, String... roles) {
        return "Bearer " + token(user, ISSUER, roles);
    }

    public static String token(String user, String issuer, String... roles) {
        return Jwt.issuer(issuer).audience(AUDIENCE).subject(user).upn(user).claim("roles", Set.of(roles))
                .expiresIn(600).jws().sign(privateKey());
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

    private static PrivateKey privateKey() {
        NotifierTestResource.ensureKeyPair();
        try {
            byte[] der = Base64.getDecoder().decode(System.getProperty(NotifierTestResource.PRIVATE_KEY_PROPERTY));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
