package io.mfagov.scanner.support;

import io.mfagov.support.auth.ApiKeys;
import io.mfagov.support.auth.BootstrapAdminKey;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * A bootstrap admin key generated per test JVM: the scanner is given only its hash, as in production; the test
 * presents the key. Never written anywhere but this JVM's system properties.
 */
public class BootstrapKeyResource implements QuarkusTestResourceLifecycleManager {

    private static final String PROPERTY = "mfagov.test.bootstrap-key";

    public static synchronized String key() {
        String key = System.getProperty(PROPERTY);
        if (key == null) {
            key = ApiKeys.generate();
            System.setProperty(PROPERTY, key);
        }
        return key;
    }

    @Override
    public Map<String, String> start() {
        return Map.of(BootstrapAdminKey.PROPERTY, ApiKeys.hash(key()));
    }

    @Override
    public void stop() {
    }
}
