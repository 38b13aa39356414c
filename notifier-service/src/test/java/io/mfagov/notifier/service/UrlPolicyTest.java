package io.mfagov.notifier.service;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SSRF guard as production runs it (no loopback), without a server. */
class UrlPolicyTest {

    private final UrlPolicy production = new UrlPolicy(false, List.of("*.webhook.office.com", "*.logic.azure.com",
            "*.environment.api.powerplatform.com", "psa.example.net"));

    @Test
    void httpsToAnAllowListedHostIsAccepted() {
        assertThat(production.check("https://contoso.webhook.office.com/webhookb2/abc?sig=x")).isNotNull();
        assertThat(production.check("https://prod-12.westeurope.logic.azure.com:443/workflows/1/triggers/manual/paths/invoke")).isNotNull();
        assertThat(production.check("https://psa.example.net/hooks/mfagov")).isNotNull();
    }

    @Test
    void plainHttpIsRefusedOutsideTheLocalMode() {
        assertThatThrownBy(() -> production.check("http://contoso.webhook.office.com/x")).hasMessageContaining("https");
        assertThatThrownBy(() -> production.check("http://127.0.0.1:8080/x")).hasMessageContaining("https");
    }

    @Test
    void hostsOutsideTheAllowListAreRefusedAndWildcardsMatchOnlySubdomains() {
        assertThatThrownBy(() -> production.check("https://evil.example.com/x")).hasMessageContaining("allow-list");
        assertThatThrownBy(() -> production.check("https://webhook.office.com/x")).hasMessageContaining("allow-list");
        assertThatThrownBy(() -> production.check("https://evilwebhook.office.com/x")).hasMessageContaining("allow-list");
        assertThatThrownBy(() -> production.check("https://contoso.webhook.office.com.evil.io/x")).hasMessageContaining("allow-list");
        assertThatThrownBy(() -> production.check("https://sub.psa.example.net/x")).hasMessageContaining("allow-list");
    }

    @Test
    void privateLoopbackLinkLocalAndMappedAddressesAreRefused() {
        for (String url : List.of("https://10.0.0.5/x", "https://172.16.1.1/x", "https://192.168.1.1/x",
                "https://169.254.169.254/latest/meta-data", "https://127.0.0.1/x", "https://[::1]/x",
                "https://[fd00::1]/x", "https://[fe80::1]/x", "https://[::ffff:10.0.0.1]/x", "https://100.64.0.1/x",
                "https://0.0.0.0/x")) {
            assertThatThrownBy(() -> production.check(url)).as(url).isInstanceOf(UrlPolicy.Refused.class);
        }
    }

    @Test
    void aNameResolvingToLoopbackIsRefusedAtSendTime() {
        UrlPolicy allowingLocalhostName = new UrlPolicy(false, List.of("localhost"));
        URI uri = allowingLocalhostName.check("https://localhost/x");
        assertThatThrownBy(() -> allowingLocalhostName.resolve(uri)).hasMessageContaining("loopback");
    }

    @Test
    void credentialsInTheUrlAndRelativeUrlsAreRefused() {
        assertThatThrownBy(() -> production.check("https://user:pw@contoso.webhook.office.com/x")).hasMessageContaining("credentials");
        assertThatThrownBy(() -> production.check("/relative")).isInstanceOf(UrlPolicy.Refused.class);
        assertThatThrownBy(() -> production.check("not a url")).isInstanceOf(UrlPolicy.Refused.class);
    }

    @Test
    void theLocalModeAllowsHttpToLoopbackOnly() {
        UrlPolicy local = new UrlPolicy(true, List.of("*.webhook.office.com"));
        assertThat(local.check("http://127.0.0.1:9999/sink")).isNotNull();
        assertThat(local.check("http://localhost:9999/sink")).isNotNull();
        assertThatThrownBy(() -> local.check("http://contoso.webhook.office.com/x")).hasMessageContaining("https");
        assertThatThrownBy(() -> local.check("https://10.1.2.3/x")).isInstanceOf(UrlPolicy.Refused.class);
    }
}
