package io.mfagov.support.auth;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BootstrapAdminKeyTest {

    @Test
    void offUnlessAHashIsConfigured() {
        assertThat(new BootstrapAdminKey(Optional.empty()).enabled()).isFalse();
        assertThat(new BootstrapAdminKey(Optional.of("  ")).enabled()).isFalse();
        assertThat(new BootstrapAdminKey(Optional.empty()).matches(ApiKeys.hash("anything"))).isFalse();
    }

    @Test
    void acceptsOnlyTheKeyWhoseHashIsConfigured() {
        String key = ApiKeys.generate();
        BootstrapAdminKey bootstrap = new BootstrapAdminKey(Optional.of(ApiKeys.hash(key).toUpperCase()));
        assertThat(bootstrap.enabled()).isTrue();
        assertThat(bootstrap.matches(ApiKeys.hash(key))).isTrue();
        assertThat(bootstrap.matches(ApiKeys.hash(ApiKeys.generate()))).isFalse();
        assertThat(bootstrap.matches(null)).isFalse();
        assertThat(bootstrap.matches("abc")).isFalse();
    }

    @Test
    void aMalformedHashFailsTheStartRatherThanBeingIgnored() {
        String key = ApiKeys.generate();
        assertThatThrownBy(() -> new BootstrapAdminKey(Optional.of(key)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(BootstrapAdminKey.PROPERTY)
                .hasMessageNotContaining(key);
        assertThatThrownBy(() -> new BootstrapAdminKey(Optional.of("zz".repeat(32))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
