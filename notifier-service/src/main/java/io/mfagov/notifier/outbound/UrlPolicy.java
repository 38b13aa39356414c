package io.mfagov.notifier.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the notifier may send: the SSRF guard. Checked when a destination is saved (scheme, host
 * allow-list, literal addresses) and again before every request, on the addresses the host resolves
 * to at that moment (the request then goes to the checked address, so a DNS answer cannot change in
 * between). Redirects are never followed.
 */
public final class UrlPolicy {

    private final boolean allowLoopback;
    private final List<String> hostPatterns;

    public UrlPolicy(boolean allowLoopback, List<String> hostPatterns) {
        this.allowLoopback = allowLoopback;
        this.hostPatterns = hostPatterns.stream().map(p -> p.strip().toLowerCase(Locale.ROOT))
                .filter(p -> !p.isEmpty()).toList();
    }

    public List<String> hostPatterns() {
        return hostPatterns;
    }

    /** Checks a URL as given by a user; returns it parsed, or throws {@link Refused} with the reason. */
    public URI check(String url) {
        if (url == null || url.isBlank()) {
            throw new Refused("is required");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new Refused("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new Refused("must be an absolute https URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("must not carry credentials before the host");
        }
        host = bareHost(host);
        boolean loopbackHost = isLoopbackName(host);
        if (!"https".equals(scheme)) {
            if (!("http".equals(scheme) && allowLoopback && loopbackHost)) {
                throw new Refused("must use https" + (allowLoopback ? " (http only to loopback)" : ""));
            }
        }
        InetAddress literal = literalAddress(host);
        if (literal != null) {
            checkAddress(literal);
            if (!(allowLoopback && literal.isLoopbackAddress()) && !matchesAllowList(host)) {
                throw new Refused("host " + host + " is not in the allow-list");
            }
        } else if (!(allowLoopback && loopbackHost) && !matchesAllowList(host)) {
            throw new Refused("host " + host + " is not in the allow-list " + hostPatterns);
        }
        return uri;
    }

    /** Resolves the host and checks every address; returns the first, to connect to it and nothing else. */
    public InetAddress resolve(URI uri) {
        String host = bareHost(uri.getHost());
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new Refused("host " + host + " does not resolve", true);
        }
        for (InetAddress address : addresses) {
            checkAddress(address);
        }
        return addresses[0];
    }

    public boolean matchesAllowList(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String pattern : hostPatterns) {
            if (pattern.startsWith("*.")) {
                String suffix = pattern.substring(1);
                if (h.endsWith(suffix) && h.length() > suffix.length()) {
                    return true;
                }
            } else if (h.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    void checkAddress(InetAddress address) {
        if (address.isLoopbackAddress()) {
            if (!allowLoopback) {
                throw new Refused("resolves to a loopback address (" + address.getHostAddress() + ")");
            }
            return;
        }
        if (address.isAnyLocalAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isMulticastAddress() || isOtherPrivate(address)) {
            throw new Refused("resolves to a private, link-local or reserved address (" + address.getHostAddress() + ")");
        }
    }

    private static boolean isOtherPrivate(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            int third = b[2] & 0xff;
            return first == 0 // this network, 0.0.0.0/8
                    || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT, 100.64.0.0/10
                    || (first == 192 && second == 0 && third == 0) // IETF protocol assignments
                    || (first == 192 && second == 0 && third == 2) // documentation (TEST-NET-1)
                    || (first == 192 && second == 88 && third == 99) // 6to4 relay anycast (deprecated)
                    || (first == 198 && (second == 18 || second == 19)) // benchmarking
                    || (first == 198 && second == 51 && third == 100) // documentation (TEST-NET-2)
                    || (first == 203 && second == 0 && third == 113) // documentation (TEST-NET-3)
                    || first >= 240; // reserved, broadcast
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) { // fc00::/7 unique local
                return true;
            }
            if (first == 0xfe && (b[1] & 0xc0) == 0xc0) { // fec0::/10 site-local (deprecated)
                return true;
            }
            if (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
                return true; // 2001:db8::/32 documentation
            }
            if (first == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                    && b[4] == 0 && b[5] == 1) {
                return true; // 64:ff9b:1::/48 local-use IPv4/IPv6 translation: reaches whatever the local NAT64 maps
            }
            byte[] embedded = embeddedIpv4(b);
            if (embedded != null) {
                try {
                    InetAddress v4 = InetAddress.getByAddress(embedded);
                    return v4.isLoopbackAddress() || v4.isSiteLocalAddress() || v4.isLinkLocalAddress()
                            || v4.isAnyLocalAddress() || v4.isMulticastAddress() || isOtherPrivate(v4);
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The IPv4 address an IPv6 address carries, for the forms that reach it: IPv4-mapped {@code ::ffff:a.b.c.d},
     * IPv4-compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16} (bits 16–47) and
     * Teredo {@code 2001::/32} (the client, the last 32 bits inverted). Null for any other address.
     */
    static byte[] embeddedIpv4(byte[] b) {
        if (b.length != 16) {
            return null;
        }
        boolean zero80 = true;
        for (int i = 0; i < 10; i++) {
            zero80 &= b[i] == 0;
        }
        if (zero80 && b[10] == 0 && b[11] == 0) {
            // ::a.b.c.d; :: and ::1 themselves are the unspecified and loopback addresses (checked elsewhere)
            return new byte[] {b[12], b[13], b[14], b[15]};
        }
        if (zero80 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) { // ::ffff:a.b.c.d
            return new byte[] {b[12], b[13], b[14], b[15]};
        }
        if (b[0] == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            boolean zero = true;
            for (int i = 4; i < 12; i++) {
                zero &= b[i] == 0;
            }
            if (zero) { // 64:ff9b::/96 well-known NAT64 prefix
                return new byte[] {b[12], b[13], b[14], b[15]};
            }
            return null;
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) { // 2002:AABB:CCDD::/48 6to4
            return new byte[] {b[2], b[3], b[4], b[5]};
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && b[2] == 0 && b[3] == 0) { // 2001:0::/32 Teredo
            return new byte[] {(byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]};
        }
        return null;
    }

    private static boolean isLoopbackName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        InetAddress literal = literalAddress(h);
        return literal != null && literal.isLoopbackAddress();
    }

    private static String bareHost(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The address if the host is an IP literal (never a DNS lookup), else null. */
    static InetAddress literalAddress(String host) {
        String h = bareHost(host);
        boolean v4 = h.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = h.contains(":") && h.matches("[0-9a-fA-F:.%]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(h);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** A URL or an address the policy refuses. {@code transientFailure}: may succeed later (DNS). */
    public static final class Refused extends RuntimeException {
        private final boolean transientFailure;

        public Refused(String reason) {
            this(reason, false);
        }

        public Refused(String reason, boolean transientFailure) {
            super(reason, null, false, false);
            this.transientFailure = transientFailure;
        }

        public boolean transientFailure() {
            return transientFailure;
        }
    }

    /** The list of patterns, combined from config. */
    public static List<String> combine(List<String> allowed, List<String> psa) {
        List<String> all = new ArrayList<>(allowed);
        all.addAll(psa);
        return all;
    }
}
