package io.mfagov.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local run's stand-in for Microsoft Teams and a PSA: receives the notifier's Adaptive Card messages
 * and signed JSON webhooks on 127.0.0.1, prints one line per card, and shows them on a small web page.
 *
 * <pre>
 * java -cp devstack/target/devstack-runner.jar io.mfagov.devstack.WebhookSink [--port 8084] [--host 127.0.0.1] [--out cards.jsonl]
 * </pre>
 *
 * <ul>
 *   <li>{@code POST /teams} (or any path): a Teams Workflows message
 *       ({@code {"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive",…}]}});
 *       title, facts and links are taken from the card. Answers 202 like a Workflows trigger.</li>
 *   <li>{@code POST /webhook} (or any path): an {@code mfagov.alert} webhook; if {@code SINK_WEBHOOK_SECRET} is set
 *       (environment, so it never shows in a process list) the {@code X-Mfagov-Signature} is verified as a PSA would.</li>
 *   <li>{@code GET /} the cards as HTML (refreshes itself), {@code GET /cards.json} the same as JSON with counts,
 *       {@code GET /health}.</li>
 * </ul>
 * Prints {@code SINK READY http://host:port/} when listening; stops on SIGTERM / Ctrl-C.
 */
public final class WebhookSink implements AutoCloseable {

    public static final String READY = "SINK READY";
    private static final int MAX_KEPT = 2000;
    private static final int MAX_BODY = 1 << 20;
    private static final long MAX_SKEW_SECONDS = 300;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpServer server;
    private final byte[] secret;
    private final Path out;
    private final PrintStream console;
    private final Deque<ObjectNode> cards = new ArrayDeque<>();
    private final AtomicLong seq = new AtomicLong();
    private long teams;
    private long webhooks;
    private long other;
    private long badSignatures;
    private long validSignatures;

    private WebhookSink(String host, int port, String secret, Path out, PrintStream console) throws IOException {
        this.secret = secret == null || secret.isEmpty() ? null : secret.getBytes(StandardCharsets.UTF_8);
        this.out = out;
        this.console = console;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 64);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "sink");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public static WebhookSink start(String host, int port, String secret, Path out, PrintStream console) throws IOException {
        return new WebhookSink(host, port, secret, out, console);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 8084;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(next(args, ++i));
                case "--host" -> host = next(args, ++i);
                case "--out" -> out = Path.of(next(args, ++i));
                case "-h", "--help" -> {
                    System.out.println("usage: WebhookSink [--port N (default 8084, 0 = any)] [--host H (default 127.0.0.1)]"
                            + " [--out FILE (append received messages as JSON lines)]\n"
                            + "env SINK_WEBHOOK_SECRET: verify X-Mfagov-Signature of webhooks with this secret");
                    return;
                }
                default -> {
                    System.err.println("sink: unknown option " + args[i]);
                    System.exit(64);
                }
            }
        }
        WebhookSink sink;
        try {
            sink = start(host, port, System.getenv("SINK_WEBHOOK_SECRET"), out, System.out);
        } catch (java.net.BindException e) {
            System.err.println("sink: port " + port + " on " + host + " is already in use");
            System.exit(1);
            return;
        }
        System.out.println(READY + " " + sink.url());
        System.out.flush();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sink.close();
            done.countDown();
        }));
        done.await();
    }

    private static String next(String[] args, int i) {
        if (i >= args.length) {
            System.err.println("sink: " + args[i - 1] + " needs a value");
            System.exit(64);
        }
        return args[i];
    }

    // --- HTTP -----------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (method.equals("POST")) {
                byte[] body = readBody(exchange.getRequestBody());
                if (body == null) {
                    send(exchange, 413, "text/plain", "too large".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                receive(path, exchange, body);
                exchange.sendResponseHeaders(202, -1);
            } else if (method.equals("GET") && path.equals("/cards.json")) {
                send(exchange, 200, "application/json", mapper.writeValueAsBytes(snapshot()));
            } else if (method.equals("GET") && path.equals("/health")) {
                send(exchange, 200, "text/plain", "ok".getBytes(StandardCharsets.UTF_8));
            } else if (method.equals("GET") && (path.equals("/") || path.equals("/index.html"))) {
                send(exchange, 200, "text/html; charset=utf-8", PAGE.getBytes(StandardCharsets.UTF_8));
            } else {
                send(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            }
        } catch (RuntimeException e) {
            console.println("sink: error handling a request: " + e);
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        return bytes.length > MAX_BODY ? null : bytes;
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
        }
    }

    // --- What arrived -----------------------------------------------------------------------------------

    private void receive(String path, HttpExchange exchange, byte[] body) {
        ObjectNode card = mapper.createObjectNode();
        card.put("seq", seq.incrementAndGet());
        card.put("receivedAt", Instant.now().toString());
        card.put("path", path);
        String eventId = exchange.getRequestHeaders().getFirst("X-Mfagov-Event-Id");
        if (eventId != null) {
            card.put("eventId", eventId);
        }
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (IOException e) {
            json = null;
        }
        String line;
        if (json != null && "message".equals(json.path("type").asText()) && json.path("attachments").isArray()) {
            JsonNode content = json.path("attachments").path(0).path("content");
            card.put("source", "teams");
            readCard(content, card);
            line = "teams    " + card.path("title").asText() + subjectSuffix(card);
            synchronized (this) {
                teams++;
            }
        } else if (json != null && "mfagov.alert".equals(json.path("type").asText())) {
            card.put("source", "webhook");
            readAlert(json, card);
            String signature = verify(exchange, body);
            card.put("signature", signature);
            line = "webhook  " + json.path("kind").asText() + " " + json.path("severity").asText()
                    + subjectSuffix(card) + "  [signature " + signature + "]";
            synchronized (this) {
                webhooks++;
                if (signature.equals("invalid")) {
                    badSignatures++;
                } else if (signature.equals("valid")) {
                    validSignatures++;
                }
            }
        } else {
            card.put("source", "other");
            card.put("title", "POST " + path);
            String text = new String(body, StandardCharsets.UTF_8);
            card.put("subject", text.length() > 300 ? text.substring(0, 300) + "…" : text);
            line = "other    POST " + path + " (" + body.length + " bytes)";
            synchronized (this) {
                other++;
            }
        }
        synchronized (this) {
            cards.addFirst(card);
            while (cards.size() > MAX_KEPT) {
                cards.removeLast();
            }
        }
        synchronized (console) {
            console.println(LocalTime.now(ZoneId.systemDefault()).format(CLOCK) + "  " + line);
            console.flush();
        }
        if (out != null) {
            try {
                Files.writeString(out, mapper.writeValueAsString(card) + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                console.println("sink: cannot append to " + out + ": " + e.getMessage());
            }
        }
    }

    private static String subjectSuffix(ObjectNode card) {
        String subject = card.path("subject").asText("");
        return subject.isEmpty() ? "" : " · " + subject;
    }

    /** Title, subject, facts and links of an Adaptive Card (alert cards and digests). */
    private void readCard(JsonNode content, ObjectNode card) {
        ArrayNode facts = card.putArray("facts");
        ArrayNode links = card.putArray("links");
        List<String> texts = new ArrayList<>();
        walk(content.path("body"), texts, facts, links);
        walk(content.path("actions"), texts, facts, links);
        card.put("title", texts.isEmpty() ? "(card without text)" : texts.get(0));
        if (texts.size() > 1) {
            card.put("subject", texts.get(1));
        }
        if (texts.size() > 2) {
            ArrayNode more = card.putArray("texts");
            texts.subList(2, texts.size()).forEach(more::add);
        }
    }

    private void walk(JsonNode node, List<String> texts, ArrayNode facts, ArrayNode links) {
        if (node.isArray()) {
            node.forEach(n -> walk(n, texts, facts, links));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        switch (node.path("type").asText()) {
            case "TextBlock" -> texts.add(node.path("text").asText());
            case "FactSet" -> node.path("facts").forEach(f -> facts.addObject()
                    .put("title", f.path("title").asText()).put("value", f.path("value").asText()));
            case "Action.OpenUrl" -> {
                if (isWebUrl(node.path("url").asText())) {
                    links.addObject().put("title", node.path("title").asText()).put("url", node.path("url").asText());
                }
            }
            default -> {
                walk(node.path("items"), texts, facts, links);
                walk(node.path("actions"), texts, facts, links);
                walk(node.path("columns"), texts, facts, links);
            }
        }
    }

    private void readAlert(JsonNode alert, ObjectNode card) {
        card.put("title", alert.path("kind").asText() + " (" + alert.path("severity").asText() + ")");
        card.put("subject", alert.path("subject").asText());
        card.put("alertId", alert.path("alertId").asText());
        card.put("tenantId", alert.path("tenantId").asText());
        ArrayNode facts = card.putArray("facts");
        alert.path("facts").fields().forEachRemaining(f -> facts.addObject().put("title", f.getKey()).put("value", f.getValue().asText()));
        ArrayNode links = card.putArray("links");
        alert.path("links").forEach(l -> {
            if (isWebUrl(l.path("url").asText())) {
                links.addObject().put("title", l.path("title").asText()).put("url", l.path("url").asText());
            }
        });
    }

    /** As a PSA verifies it: HMAC-SHA256(secret, timestamp + "." + raw body), compared in constant time, fresh timestamp. */
    private String verify(HttpExchange exchange, byte[] body) {
        String signature = exchange.getRequestHeaders().getFirst("X-Mfagov-Signature");
        String timestamp = exchange.getRequestHeaders().getFirst("X-Mfagov-Timestamp");
        if (secret == null) {
            return signature == null ? "absent" : "not checked";
        }
        if (signature == null || timestamp == null || !signature.startsWith("v1=")) {
            return "invalid";
        }
        try {
            long ts = Long.parseLong(timestamp);
            if (Math.abs(Instant.now().getEpochSecond() - ts) > MAX_SKEW_SECONDS) {
                return "invalid";
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = mac.doFinal(body);
            byte[] given = HexFormat.of().parseHex(signature.substring(3).toLowerCase(Locale.ROOT));
            return MessageDigest.isEqual(expected, given) ? "valid" : "invalid";
        } catch (Exception e) {
            return "invalid";
        }
    }

    private static boolean isWebUrl(String url) {
        try {
            String scheme = URI.create(url).getScheme();
            return scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private synchronized ObjectNode snapshot() {
        ObjectNode root = mapper.createObjectNode();
        root.put("count", teams + webhooks + other);
        root.put("teams", teams);
        root.put("webhooks", webhooks);
        root.put("other", other);
        root.put("badSignatures", badSignatures);
        root.put("validSignatures", validSignatures);
        root.put("kept", cards.size());
        ArrayNode list = root.putArray("cards");
        cards.forEach(list::add);
        return root;
    }

    private static final String PAGE = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>mfagov · local sink</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>
             body{font:14px/1.4 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;background:#f3f2f1;color:#242424}
             header{background:#464775;color:#fff;padding:12px 20px}
             header h1{font-size:18px;margin:0} header p{margin:4px 0 0;opacity:.85}
             main{max-width:920px;margin:16px auto;padding:0 12px}
             .card{background:#fff;border-radius:6px;box-shadow:0 1px 3px rgba(0,0,0,.15);margin:0 0 12px;padding:12px 16px;border-left:4px solid #6264a7}
             .card.webhook{border-left-color:#8a8886} .card.other{border-left-color:#c50f1f}
             .meta{color:#616161;font-size:12px;margin-bottom:4px}
             .title{font-weight:600;font-size:15px} .subject{margin:4px 0 8px}
             table{border-collapse:collapse} td{padding:1px 12px 1px 0;vertical-align:top} td.k{color:#616161;white-space:nowrap}
             .links a{display:inline-block;margin:8px 8px 0 0;padding:4px 10px;border:1px solid #6264a7;border-radius:4px;color:#464775;text-decoration:none}
             .sig-valid{color:#107c10} .sig-invalid{color:#c50f1f} .empty{color:#616161;text-align:center;padding:40px}
            </style></head><body>
            <header><h1>mfagov · local sink</h1><p id="counts">waiting for cards…</p></header>
            <main id="cards"></main>
            <script>
            function el(tag, cls, text){const e=document.createElement(tag); if(cls)e.className=cls; if(text!=null)e.textContent=text; return e;}
            async function refresh(){
              let data; try{ data = await (await fetch('cards.json',{cache:'no-store'})).json(); }catch(e){ return; }
              document.getElementById('counts').textContent = data.teams+' Teams cards · '+data.webhooks+' webhooks'
                + (data.badSignatures? ' · '+data.badSignatures+' BAD signatures':'') + (data.other? ' · '+data.other+' other':'');
              const main = document.getElementById('cards'); main.replaceChildren();
              if(!data.cards.length){ main.append(el('p','empty','Nothing received yet.')); return; }
              for(const c of data.cards){
                const d = el('div','card '+c.source);
                const meta = el('div','meta', c.receivedAt.replace('T',' ').replace(/\\..*$/,'')+' · '+c.source+' · POST '+c.path);
                if(c.signature){ const s=el('span','sig-'+c.signature,' · signature '+c.signature); meta.append(s); }
                d.append(meta, el('div','title',c.title));
                if(c.subject) d.append(el('div','subject',c.subject));
                if(c.facts && c.facts.length){ const t=el('table'); for(const f of c.facts){ const r=el('tr'); r.append(el('td','k',f.title), el('td',null,f.value)); t.append(r);} d.append(t); }
                for(const x of (c.texts||[])) d.append(el('div','meta',x));
                if(c.links && c.links.length){ const l=el('div','links'); for(const k of c.links){ if(!/^https?:/i.test(k.url)) continue; const a=el('a',null,k.title); a.href=k.url; a.target='_blank'; a.rel='noopener'; l.append(a);} d.append(l); }
                main.append(d);
              }
            }
            refresh(); setInterval(refresh, 2000);
            </script></body></html>
            """;
}
