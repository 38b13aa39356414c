package io.mfagov.notifier.outbound;


import org.junit.jupiter.api.Test;

import java.net.InetAddress;
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
    void ipv6AddressesEmbeddingAPrivateIpv4AreRefused() throws Exception {
        for (String address : List.of(
                "64:ff9b::10.0.0.1", "64:ff9b::a9fe:a9fe", "64:ff9b::127.0.0.1", "64:ff9b::192.168.0.1", // NAT64
                "64:ff9b:1::8.8.8.8", // local-use NAT64 (RFC 8215): whatever the local translator maps
                "2002:a00:1::", "2002:a9fe:a9fe::1", "2002:7f00:1::", "2002:ac10:1:2::3", // 6to4
                // Teredo: the client IPv4 is the last 32 bits inverted (f5ff:fffe -> 10.0.0.1, 5601:5601 -> 169.254.169.254)
                "2001:0:4136:e378:8000:63bf:f5ff:fffe", "2001:0:4136:e378:8000:63bf:5601:5601",
                "::10.0.0.1", "::169.254.169.254", "::127.0.0.2", "::100.64.0.1", // IPv4-compatible
                "::ffff:10.0.0.1", "::ffff:192.0.2.1", // IPv4-mapped
                "2001:db8::1")) { // IPv6 documentation
            InetAddress parsed = InetAddress.getByName(address);
            assertThatThrownBy(() -> production.checkAddress(parsed)).as(address)
                    .isInstanceOf(UrlPolicy.Refused.class).hasMessageContaining("private");
        }
    }

    @Test
    void documentationThisNetworkAndSharedIpv4RangesAreRefused() throws Exception {
        for (String address : List.of("192.0.2.1", "198.51.100.7", "203.0.113.9", "0.1.2.3", "100.64.0.1",
                "100.127.255.254", "192.0.0.8", "198.18.0.1", "240.0.0.1", "255.255.255.255")) {
            InetAddress parsed = InetAddress.getByName(address);
            assertThatThrownBy(() -> production.checkAddress(parsed)).as(address).isInstanceOf(UrlPolicy.Refused.class);
        }
    }

    @Test
    void publicAddressesAlsoEmbeddedInIpv6AreAccepted() throws Exception {
        for (String address : List.of("8.8.8.8", "52.96.0.1", "100.63.255.255", "100.128.0.1", "203.0.114.1",
                "64:ff9b::8.8.8.8", "2002:808:808::1", "2001:0:4136:e378:8000:63bf:f7f7:f7f7", "::8.8.8.8",
                "2603:1030::1")) {
            production.checkAddress(InetAddress.getByName(address)); // does not throw
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
