package io.mfagov.notifier.support;

import io.mfagov.devstack.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Generates what must never be a literal in a file: the AES key encrypting destination secrets; and
 * trusts devstack's {@link TestTokens} issuer, whose RS256 tokens the tests sign themselves.
 */
public class NotifierTestResource implements QuarkusTestResourceLifecycleManager {

    private final TestTokens tokens = new TestTokens();

    @Override
    public Map<String, String> start() {
        byte[] aes = new byte[32];
        new SecureRandom().nextBytes(aes);
        Map<String, String> config = new HashMap<>(tokens.start());
        config.put("mfagov.notifier.secret-key", Base64.getEncoder().encodeToString(aes));
        return config;
    }

    @Override
    public void stop() {
        tokens.stop();
    }
}
