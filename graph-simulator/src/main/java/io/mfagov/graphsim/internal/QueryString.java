package io.mfagov.graphsim.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Query strings as OData uses them: '+' is NOT a space (date-time offsets), keys compared case-insensitively. */
public final class QueryString {
    private QueryString() {
    }

    /** Ordered map of lower-cased keys to decoded values; the key keeps its '$' (a key without '$' gets one if OData). */
    public static Map<String, String> parse(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String k = decode(eq < 0 ? part : part.substring(0, eq));
            String v = eq < 0 ? "" : decode(part.substring(eq + 1));
            out.put(k.toLowerCase(Locale.ROOT), v);
        }
        return out;
    }

    public static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new IllegalArgumentException("Malformed percent-encoding in query string");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("Malformed percent-encoding in query string");
                }
                b.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] bs = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                b.write(bs, 0, bs.length);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /** Percent-encodes a query value (spaces as %20; keeps OData-friendly characters readable). */
    public static String encode(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (byte bb : bytes) {
            int c = bb & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || c == '$' || c == ',' || c == '\'' || c == '('
                    || c == ')' || c == ':' || c == '/') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }
}
