package io.mfagov.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.support.csv.TenantsFile;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The REST half of {@code ./run-local.sh}: everything it does through the services' public APIs, as an
 * MSP's admin would — register the tenants ({@code POST /api/v1/tenants}), point the notifier's MSP-default
 * destinations at the local sink (and a real Teams Workflows URL if configured), request a scan of every
 * tenant ({@code POST /api/v1/tenants/{id}/scans}), follow it (tenants scanned x/N), wait for the alerts
 * to be delivered, and print the summary. With {@code --smoke} it exits 0 only if every tenant's scan ended
 * COMPLETE, exclusions were reconciled, and every alert was delivered: Teams cards and validly signed webhooks
 * reached the sink, no delivery is dead and none is still pending when the (bounded) wait for alerts ends.
 *
 * <pre>
 * MFAGOV_API_KEY=… [SINK_WEBHOOK_SECRET=…] [TEAMS_WEBHOOK_URL=…] java -cp devstack-runner.jar io.mfagov.devstack.LocalRunClient
 *     --register URL --notifier URL --sink URL (--tenants-file FILE | --tenants id[=name],…) [--smoke] [--scan-timeout S]
 * java -cp devstack-runner.jar io.mfagov.devstack.LocalRunClient --check-tenants (--tenants-file FILE | --tenants …)
 * </pre>
 * Exit codes: 0 done (smoke: passed), 1 smoke check failed, 2 a step failed (message names the service), 64 usage.
 */
public final class LocalRunClient {

    static final String SINK_TEAMS = "local-sink-teams";
    static final String SINK_WEBHOOK = "local-sink-webhook";
    static final String REAL_TEAMS = "teams";

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final PrintStream out = System.out;
    private final boolean tty = System.console() != null;

    private String register;
    private String notifier;
    private String sink;
    private String apiKey;
    private final Map<String, String> tenants = new LinkedHashMap<>();
    private boolean smoke;
    private boolean checkTenantsOnly;
    private int newTenants;
    private final Map<String, String> sinkDestinations = new LinkedHashMap<>();
    private long scanTimeoutSeconds = -1;
    private long alertTimeoutSeconds = 60;

    /** A step failed: which service, what happened. */
    static final class StepFailed extends Exception {
        final String service;

        StepFailed(String service, String message) {
            super(message);
            this.service = service;
        }
    }

    public static void main(String[] args) {
        LocalRunClient client = new LocalRunClient();
        try {
            client.parse(args, System.getenv("MFAGOV_API_KEY"));
        } catch (IllegalArgumentException e) {
            System.err.println("local-run: " + e.getMessage());
            System.exit(64);
        }
        if (client.checkTenantsOnly) {
            System.out.println(client.tenants.size());
            System.exit(0);
        }
        try {
            System.exit(client.run());
        } catch (StepFailed e) {
            System.out.println();
            System.out.println("FAILED [" + e.service + "] " + e.getMessage());
            System.exit(2);
        } catch (InterruptedException e) {
            System.exit(130);
        }
    }

    /**
     * Reads the arguments; {@code apiKey} is {@code MFAGOV_API_KEY}. Bad arguments: IllegalArgumentException.
     * With {@code --check-tenants} only the tenants are read (run-local.sh checks a real tenants file before it starts
     * anything; main prints how many and exits 0).
     */
    void parse(String[] args, String apiKey) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--register" -> register = trimSlash(value(args, ++i, a));
                case "--notifier" -> notifier = trimSlash(value(args, ++i, a));
                case "--sink" -> sink = trimSlash(value(args, ++i, a));
                case "--tenants-file" -> readTenantsFile(Path.of(value(args, ++i, a)));
                case "--tenants" -> readTenantList(value(args, ++i, a));
                case "--smoke" -> smoke = true;
                case "--check-tenants" -> checkTenantsOnly = true;
                case "--scan-timeout" -> scanTimeoutSeconds = Long.parseLong(value(args, ++i, a));
                case "--alert-timeout" -> alertTimeoutSeconds = Long.parseLong(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (tenants.isEmpty()) {
            throw new IllegalArgumentException("no tenants: give --tenants-file or --tenants");
        }
        if (checkTenantsOnly) {
            return;
        }
        this.apiKey = apiKey;
        if (register == null || notifier == null || sink == null) {
            throw new IllegalArgumentException("--register, --notifier and --sink are required");
        }
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("MFAGOV_API_KEY (an admin API key of both services) is not set");
        }
        if (scanTimeoutSeconds < 0) {
            scanTimeoutSeconds = Math.max(120, tenants.size() / 5);
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * The simulator's graph-simulator-tenants.json ({"tenants":[{tenantId, displayName}]}), or a tenants file read by
     * the shared reader (the scanner's one-shot mode reads it the same way): CSV with a TenantId and a DisplayName
     * column (as PowerShell's Export-Csv writes it: BOM, quoted headers and values), or one "id[,name]" per line.
     */
    private void readTenantsFile(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        if (text.stripLeading().startsWith("{") || text.stripLeading().startsWith("[")) {
            try {
                JsonNode root = mapper.readTree(text);
                JsonNode list = root.isArray() ? root : root.path("tenants");
                for (JsonNode t : list) {
                    tenants.put(t.path("tenantId").asText(), t.path("displayName").asText(""));
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
            }
            return;
        }
        add(TenantsFile.parse(text, file.toString()), file.toString());
    }

    /** "id=Display Name,id2" (MFAGOV_TENANTS; names must not contain commas here). */
    private void readTenantList(String list) {
        add(TenantsFile.ofList(Arrays.asList(list.split(",")), "MFAGOV_TENANTS"), "MFAGOV_TENANTS");
    }

    private void add(TenantsFile file, String source) {
        file.duplicates().forEach(d -> System.err.printf("local-run: %s: tenant %s appears again (%d and %d); registered once%n",
                source, d.tenantId(), d.firstLine(), d.line()));
        file.tenants().forEach(t -> tenants.putIfAbsent(t.tenantId(), t.displayName()));
    }

    /** The tenants to register, id to display name ("" when none), in the order given. */
    Map<String, String> tenants() {
        return Collections.unmodifiableMap(tenants);
    }

    // --- The run ------------------------------------------------------------------------------------------

    int run() throws StepFailed, InterruptedException {
        long t0 = System.nanoTime();
        registerTenants();
        configureDestinations();
        Instant since = Instant.now().minusSeconds(1);
        requestScans();
        Map<String, JsonNode> scanned = waitForScans(since);
        double scanSeconds = (System.nanoTime() - t0) / 1e9;
        if (tenants.containsKey(DEMO_WELL_RUN)) {
            approveDemoBreakGlass();
        }
        Map<String, Integer> byStatus = new TreeMap<>();
        Map<String, Map<String, Integer>> byTenant = new LinkedHashMap<>();
        int total = countExclusions(byStatus, byTenant);
        // New tenants with exclusions raise alerts; a resumed run (--keep) has had them delivered already.
        Delivered delivered = waitForAlerts(total > 0 && newTenants > 0);
        return summary(scanned, scanSeconds, byStatus, byTenant, total, delivered);
    }

    /** The simulator's well-run demo tenant, whose only exclusions are two documented break-glass accounts. */
    static final String DEMO_WELL_RUN = "6f1b2c3d-4e5f-4a6b-8c7d-000000000001";

    /**
     * Documents the well-run demo tenant's break-glass accounts the way an MSP would: a requester asks for a
     * BREAK_GLASS exception per account (every policy, a year, a ticket) and an admin approves it (four eyes), each
     * through the register's API with a short-lived API key of its own; the keys are revoked afterwards. The summary
     * then shows what reconciliation is for: those exclusions APPROVED, the messy tenant's UNAPPROVED.
     */
    private void approveDemoBreakGlass() throws StepFailed, InterruptedException {
        String url = register + "/api/v1/exclusions?tenantId=" + DEMO_WELL_RUN + "&status=UNAPPROVED&limit=500";
        Map<String, JsonNode> accounts = new LinkedHashMap<>();
        for (JsonNode e : json("register", send("register", "GET", url, null), 200).path("items")) {
            if (e.path("principalUpn").asText("").startsWith("breakglass")) {
                accounts.putIfAbsent(e.path("principalId").asText(), e);
            }
        }
        if (accounts.isEmpty()) {
            return; // already documented (a resumed run), or the demo tenant changed
        }
        String suffix = Long.toString(System.nanoTime() % 1_000_000, 36);
        JsonNode requester = createDemoKey("demo-requester-" + suffix, "requester");
        JsonNode approver = createDemoKey("demo-approver-" + suffix, "admin");
        try {
            for (JsonNode account : accounts.values()) {
                ObjectNode principal = mapper.createObjectNode();
                principal.put("id", account.path("principalId").asText());
                principal.put("type", "USER");
                principal.put("displayName", account.path("principalDisplayName").asText());
                ObjectNode request = mapper.createObjectNode();
                request.put("tenantId", DEMO_WELL_RUN);
                request.putArray("principals").add(principal);
                request.put("category", "BREAK_GLASS");
                request.put("justification", "Emergency access account: FIDO2 key in the office safe, sign-ins alerted,"
                        + " reviewed quarterly (runbook EA-01).");
                request.put("expiresAt", Instant.now().plus(Duration.ofDays(180)).toString());
                request.put("ticketRef", "DEMO-EA-01");
                JsonNode requested = json("register", sendAs(requester.path("key").asText(), "register", "POST",
                        register + "/api/v1/exceptions", request), 201);
                ObjectNode approval = mapper.createObjectNode();
                approval.put("notes", "Checked against the runbook; approved for the demo.");
                expect("register", sendAs(approver.path("key").asText(), "register", "POST",
                        register + "/api/v1/exceptions/" + requested.path("id").asText() + "/approve", approval), 200);
            }
        } finally {
            for (JsonNode key : List.of(requester, approver)) {
                send("register", "POST", register + "/api/v1/api-keys/" + key.path("apiKey").path("id").asText() + "/revoke", null);
            }
        }
        step("register", accounts.size() + " break-glass accounts of the well-run demo tenant documented as BREAK_GLASS"
                + " exceptions: requested by one API key, approved by another (four eyes)");
    }

    private JsonNode createDemoKey(String name, String role) throws StepFailed, InterruptedException {
        ObjectNode body = mapper.createObjectNode();
        body.put("name", name);
        body.putArray("roles").add(role);
        return json("register", send("register", "POST", register + "/api/v1/api-keys", body), 201);
    }

    private void registerTenants() throws StepFailed, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> results = new ArrayList<>();
        try {
            for (Map.Entry<String, String> t : tenants.entrySet()) {
                ObjectNode body = mapper.createObjectNode();
                body.put("tenantId", t.getKey());
                if (!t.getValue().isBlank()) {
                    body.put("displayName", t.getValue());
                }
                body.put("enabled", true);
                results.add(pool.submit(() -> send("register", "POST", register + "/api/v1/tenants", body).statusCode()));
            }
            int created = 0;
            int existing = 0;
            for (int i = 0; i < results.size(); i++) {
                int status;
                try {
                    status = results.get(i).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof StepFailed sf ? sf : new StepFailed("register", e.getCause().toString());
                }
                if (status == 201) {
                    created++;
                } else if (status == 409) {
                    existing++;
                } else {
                    String id = new ArrayList<>(tenants.keySet()).get(i);
                    throw new StepFailed("register", "POST /api/v1/tenants for " + id + " answered " + status);
                }
            }
            newTenants = created;
            step("tenants", tenants.size() + " registered through POST /api/v1/tenants"
                    + (existing > 0 ? " (" + created + " new, " + existing + " already there)" : ""));
        } finally {
            pool.shutdownNow();
        }
    }

    private void configureDestinations() throws StepFailed, InterruptedException {
        JsonNode list = json("notifier", send("notifier", "GET", notifier + "/api/v1/destinations", null), 200);
        for (JsonNode d : list.isArray() ? list : list.path("items")) {
            String name = d.path("name").asText();
            boolean ours = List.of(SINK_TEAMS, SINK_WEBHOOK, REAL_TEAMS).contains(name);
            if (ours && !d.hasNonNull("tenantId")) {
                expect("notifier", send("notifier", "DELETE", notifier + "/api/v1/destinations/" + d.path("id").asText(), null), 204, 200);
            }
        }
        createDestination(SINK_TEAMS, "TEAMS_WORKFLOW", sink + "/teams", null);
        createDestination(SINK_WEBHOOK, "WEBHOOK", sink + "/webhook", System.getenv("SINK_WEBHOOK_SECRET"));
        String teams = System.getenv("TEAMS_WEBHOOK_URL");
        String what = "Teams card → " + sink + "/teams, signed webhook → " + sink + "/webhook";
        if (teams != null && !teams.isBlank()) {
            createDestination(REAL_TEAMS, "TEAMS_WORKFLOW", teams.strip(), null);
            what += ", and your Teams channel";
        }
        step("notifier", "MSP default destinations: " + what);
    }

    private void createDestination(String name, String type, String url, String secret) throws StepFailed, InterruptedException {
        ObjectNode body = mapper.createObjectNode();
        body.put("name", name);
        body.put("type", type);
        body.put("url", url);
        if (secret != null && !secret.isBlank()) {
            body.put("secret", secret);
        }
        HttpResponse<String> r = send("notifier", "POST", notifier + "/api/v1/destinations", body);
        if (r.statusCode() != 201) {
            throw new StepFailed("notifier", "POST /api/v1/destinations (" + name + ") answered " + r.statusCode() + ": " + problem(r));
        }
        if (!name.equals(REAL_TEAMS)) {
            String id = json("notifier", r, 201).path("id").asText("");
            if (!id.isEmpty()) {
                sinkDestinations.put(name, id);
            }
        }
    }

    private void requestScans() throws StepFailed, InterruptedException {
        for (String id : tenants.keySet()) {
            HttpResponse<String> r = send("register", "POST", register + "/api/v1/tenants/" + id + "/scans", null);
            if (r.statusCode() != 202) {
                throw new StepFailed("register", "POST /api/v1/tenants/" + id + "/scans answered " + r.statusCode() + ": " + problem(r));
            }
        }
        step("scan", "requested for " + tenants.size() + " tenants (POST /api/v1/tenants/{id}/scans)");
    }

    private Map<String, JsonNode> waitForScans(Instant since) throws StepFailed, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(scanTimeoutSeconds).toNanos();
        Map<String, JsonNode> done = new LinkedHashMap<>();
        int shown = -1;
        while (true) {
            JsonNode list = json("register", send("register", "GET", register + "/api/v1/tenants", null), 200);
            done.clear();
            for (JsonNode t : list) {
                String id = t.path("tenantId").asText();
                String finished = t.path("lastScanFinishedAt").asText(null);
                if (tenants.containsKey(id) && finished != null && !Instant.parse(finished).isBefore(since)) {
                    done.put(id, t);
                }
            }
            if (done.size() != shown) {
                shown = done.size();
                progress("scanning", "tenants scanned " + shown + "/" + tenants.size());
            }
            if (done.size() == tenants.size()) {
                endProgress();
                return done;
            }
            if (System.nanoTime() > deadline) {
                endProgress();
                List<String> missing = tenants.keySet().stream().filter(id -> !done.containsKey(id)).limit(5).toList();
                throw new StepFailed("scanner", "only " + done.size() + "/" + tenants.size() + " tenants scanned after "
                        + scanTimeoutSeconds + " s (still waiting for " + missing + (tenants.size() - done.size() > 5 ? ", …" : "") + ")");
            }
            Thread.sleep(500);
        }
    }

    private int countExclusions(Map<String, Integer> byStatus, Map<String, Map<String, Integer>> byTenant)
            throws StepFailed, InterruptedException {
        String cursor = null;
        int total = 0;
        do {
            String url = register + "/api/v1/exclusions?includeRemoved=true&limit=500"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode page = json("register", send("register", "GET", url, null), 200);
            for (JsonNode e : page.path("items")) {
                String tenant = e.path("tenantId").asText();
                if (!tenants.containsKey(tenant)) {
                    continue;
                }
                String status = e.path("status").asText("?");
                byStatus.merge(status, 1, Integer::sum);
                byTenant.computeIfAbsent(tenant, k -> new TreeMap<>()).merge(status, 1, Integer::sum);
                if (!status.equals("REMOVED")) {
                    total++;
                }
            }
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return total;
    }

    /**
     * What the sink received and the notifier's deliveries; {@code toSink}: deliveries DELIVERED per sink
     * destination name; {@code settled}: false if the wait for alerts timed out.
     */
    record Delivered(long teams, long webhooks, long badSignatures, long validSignatures, int delivered, int pending,
                     int dead, Map<String, Integer> toSink, boolean settled, long waitedSeconds) {
        Delivered timedOut(long seconds) {
            return new Delivered(teams, webhooks, badSignatures, validSignatures, delivered, pending, dead, toSink, false,
                    seconds);
        }
    }

    /** Until the notifier has nothing pending and the sink's count has settled (or the timeout). */
    private Delivered waitForAlerts(boolean expectAlerts) throws StepFailed, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(expectAlerts ? alertTimeoutSeconds : 5).toNanos();
        long lastCount = -1;
        int stable = 0;
        Delivered d;
        while (true) {
            d = delivered();
            long count = d.teams() + d.webhooks();
            progress("alerts", count + " received by the sink (" + d.teams() + " Teams cards, " + d.webhooks() + " webhooks), "
                    + d.pending() + " pending in the notifier");
            stable = count == lastCount ? stable + 1 : 0;
            lastCount = count;
            boolean settled = d.pending() == 0 && stable >= 3 && (count > 0 || !expectAlerts);
            if (settled) {
                endProgress();
                return d;
            }
            if (System.nanoTime() > deadline) {
                endProgress();
                return d.timedOut(expectAlerts ? alertTimeoutSeconds : 5);
            }
            Thread.sleep(1000);
        }
    }

    private Delivered delivered() throws StepFailed, InterruptedException {
        JsonNode cards = json("sink", send("sink", "GET", sink + "/cards.json", null), 200);
        int deliveredCount = deliveries("DELIVERED");
        int pending = deliveries("PENDING");
        int dead = deliveries("DEAD");
        Map<String, Integer> toSink = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : sinkDestinations.entrySet()) {
            toSink.put(e.getKey(), deliveries("DELIVERED&destinationId=" + e.getValue()));
        }
        return new Delivered(cards.path("teams").asLong(), cards.path("webhooks").asLong(), cards.path("badSignatures").asLong(),
                cards.path("validSignatures").asLong(), deliveredCount, pending, dead, toSink, true, 0);
    }

    private int deliveries(String query) throws StepFailed, InterruptedException {
        JsonNode page = json("notifier", send("notifier", "GET", notifier + "/api/v1/deliveries?limit=1000&status=" + query, null), 200);
        return page.path("count").asInt(page.path("items").size());
    }

    private int summary(Map<String, JsonNode> scanned, double scanSeconds, Map<String, Integer> byStatus,
            Map<String, Map<String, Integer>> byTenant, int total, Delivered d) throws StepFailed, InterruptedException {
        Map<String, Integer> scanStatus = new TreeMap<>();
        scanned.values().forEach(t -> scanStatus.merge(t.path("lastScanStatus").asText("?"), 1, Integer::sum));
        out.println();
        out.printf("Summary%n");
        out.printf("  tenants scanned      %d/%d in %.1f s  (%s)%n", scanned.size(), tenants.size(), scanSeconds, join(scanStatus));
        out.printf("  exclusions           %d present%s%n", total, byStatus.isEmpty() ? "" : "  by status: " + join(byStatus));
        int shown = 0;
        for (Map.Entry<String, String> t : tenants.entrySet()) {
            if (shown++ == 10) {
                out.printf("    … and %d more tenants%n", tenants.size() - 10);
                break;
            }
            JsonNode view = scanned.get(t.getKey());
            Map<String, Integer> counts = byTenant.getOrDefault(t.getKey(), Map.of());
            out.printf("    %-28s %-9s %s%n", ellipsis(t.getValue().isBlank() ? t.getKey() : t.getValue(), 28),
                    view == null ? "-" : view.path("lastScanStatus").asText("?"), counts.isEmpty() ? "no exclusions" : join(counts));
        }
        Map<String, JsonNode> coverage = coverage();
        shown = 0;
        out.printf("  coverage             %d/%d tenants reported it%n", coverage.size(), tenants.size());
        for (Map.Entry<String, String> t : tenants.entrySet()) {
            JsonNode c = coverage.get(t.getKey());
            if (c == null || shown++ == 10) {
                continue;
            }
            boolean none = c.path("findings").toString().contains("NO_MFA_ENFORCEMENT");
            out.printf("    %-28s %s%n", ellipsis(t.getValue().isBlank() ? t.getKey() : t.getValue(), 28),
                    none ? "NO MFA ENFORCEMENT (no enabled MFA policy, security defaults off)"
                            : c.path("allUsersCovered").asBoolean(false) ? "every enabled user covered"
                            : c.path("uncoveredUserCount").asInt() + " enabled user(s) not covered");
        }
        Map<String, JsonNode> gaps = gaps();
        Map<String, Long> gapKinds = new java.util.TreeMap<>();
        gaps.values().forEach(g -> g.path("counts").fields().forEachRemaining(e -> gapKinds.merge(e.getKey(), e.getValue().asLong(), Long::sum)));
        out.printf("  MFA gap signals      %d/%d tenants reported them%s%n", gaps.size(), tenants.size(),
                gapKinds.isEmpty() ? "" : ": " + join(gapKinds.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                        Map.Entry::getKey, e -> e.getValue().intValue(), (a, b) -> a, java.util.TreeMap::new))));
        out.printf("  alerts delivered     %d Teams cards and %d signed webhooks reached the sink%s%n", d.teams(), d.webhooks(),
                d.badSignatures() > 0 ? " (" + d.badSignatures() + " with a BAD signature)" : "");
        out.printf("                       notifier deliveries: %d delivered, %d pending, %d dead%n", d.delivered(), d.pending(), d.dead());
        if (!smoke) {
            return 0;
        }
        List<String> failures = smokeFailures(scanned, total, d);
        failures.addAll(coverageFailures(coverage));
        failures.addAll(gapFailures(gaps));
        out.println();
        if (failures.isEmpty()) {
            long noMfa = coverage.values().stream()
                    .filter(c -> c.path("findings").toString().contains("NO_MFA_ENFORCEMENT")).count();
            out.println("SMOKE PASSED: " + tenants.size() + "/" + tenants.size() + " tenant scans COMPLETE, " + total
                    + " exclusions reconciled, coverage for " + coverage.size() + " tenants (" + noMfa
                    + " without MFA enforcement, alerted), MFA gap signals for " + gaps.size() + " tenants ("
                    + gapKinds.getOrDefault("SINGLE_FACTOR_SIGNINS", 0L) + " users signing in single-factor, "
                    + gapKinds.getOrDefault("PER_USER_MFA_ONLY", 0L) + " protected by per-user MFA only; alerted), "
                    + d.teams() + " cards and " + d.webhooks()
                    + " signed webhooks in the sink, no delivery pending or dead");
            return 0;
        }
        out.println("SMOKE FAILED: " + String.join("; ", failures));
        return 1;
    }

    /** Each tenant's latest coverage from the register (tenants without one are left out). */
    private Map<String, JsonNode> coverage() throws StepFailed, InterruptedException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String tenant : tenants.keySet()) {
            HttpResponse<String> r = send("register", "GET", register + "/api/v1/tenants/" + tenant + "/coverage", null);
            if (r.statusCode() == 200) {
                out.put(tenant, json("register", r, 200));
            }
        }
        return out;
    }

    /**
     * Why the coverage part of the smoke fails: every tenant must report coverage, and a tenant that enforces no MFA
     * must have had its NO_MFA_ENFORCEMENT alert delivered.
     */
    private List<String> coverageFailures(Map<String, JsonNode> coverage) throws StepFailed, InterruptedException {
        List<String> failures = new ArrayList<>();
        if (coverage.size() < tenants.size()) {
            failures.add((tenants.size() - coverage.size()) + "/" + tenants.size() + " tenants have no coverage in the register");
        }
        for (Map.Entry<String, JsonNode> c : coverage.entrySet()) {
            if (!c.getValue().path("findings").toString().contains("NO_MFA_ENFORCEMENT")) {
                continue;
            }
            if (deliveredAlertIds(c.getKey()).stream().noneMatch(id -> id.startsWith("NO_MFA_ENFORCEMENT:"))) {
                failures.add("tenant " + c.getKey() + " enforces no MFA but no NO_MFA_ENFORCEMENT alert was delivered");
            }
        }
        return failures;
    }

    /** The ids of the alerts the notifier delivered for a tenant. */
    private List<String> deliveredAlertIds(String tenant) throws StepFailed, InterruptedException {
        JsonNode page = json("notifier", send("notifier", "GET", notifier + "/api/v1/deliveries?limit=1000&status=DELIVERED"
                + "&tenantId=" + tenant, null), 200);
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(item -> ids.add(item.path("alertId").asText()));
        return ids;
    }

    /** Each tenant's latest MFA gap signals from the register (tenants without any are left out). */
    private Map<String, JsonNode> gaps() throws StepFailed, InterruptedException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String tenant : tenants.keySet()) {
            HttpResponse<String> r = send("register", "GET", register + "/api/v1/tenants/" + tenant + "/gaps", null);
            if (r.statusCode() != 404) {
                out.put(tenant, json("register", r, 200));
            }
        }
        return out;
    }

    /**
     * Why the gap-signal part of the smoke fails: every tenant must report its gap signals (scanner → register), and
     * each tenant with a user signing in single-factor, or a privileged user who cannot do MFA, must have had that
     * alert delivered (register → notifier → sink): the first scan makes every such gap new.
     */
    private List<String> gapFailures(Map<String, JsonNode> gaps) throws StepFailed, InterruptedException {
        List<String> failures = new ArrayList<>();
        if (gaps.size() < tenants.size()) {
            failures.add((tenants.size() - gaps.size()) + "/" + tenants.size() + " tenants have no MFA gap signals in the register");
        }
        for (Map.Entry<String, JsonNode> g : gaps.entrySet()) {
            java.util.Set<String> expected = new java.util.TreeSet<>();
            for (JsonNode item : g.getValue().path("items")) {
                String kind = item.path("kind").asText();
                if (kind.equals("SINGLE_FACTOR_SIGNINS")) {
                    expected.add("SINGLE_FACTOR_SIGNINS");
                } else if ((kind.equals("NOT_REGISTERED") || kind.equals("NOT_CAPABLE")) && item.path("privileged").asBoolean(false)) {
                    expected.add("NOT_REGISTERED_PRIVILEGED");
                }
            }
            if (expected.isEmpty()) {
                continue;
            }
            for (String id : deliveredAlertIds(g.getKey())) {
                expected.removeIf(kind -> id.startsWith(kind + ":"));
            }
            for (String kind : expected) {
                failures.add("tenant " + g.getKey() + " has " + (kind.equals("SINGLE_FACTOR_SIGNINS") ? "single-factor sign-ins"
                        : "a privileged user who cannot do MFA") + " but no " + kind + " alert was delivered");
            }
        }
        return failures;
    }

    /** Why the smoke check fails: empty if every tenant was scanned COMPLETE and every alert was delivered. */
    List<String> smokeFailures(Map<String, JsonNode> scanned, int total, Delivered d) {
        List<String> failures = new ArrayList<>();
        List<String> notComplete = new ArrayList<>();
        for (Map.Entry<String, String> t : tenants.entrySet()) {
            JsonNode view = scanned.get(t.getKey());
            String status = view == null ? "not scanned" : view.path("lastScanStatus").asText("?");
            if (!status.equals("COMPLETE")) {
                notComplete.add((t.getValue().isBlank() ? t.getKey() : t.getValue() + " (" + t.getKey() + ")") + " " + status);
            }
        }
        if (!notComplete.isEmpty()) {
            failures.add(notComplete.size() + "/" + tenants.size() + " tenant scans not COMPLETE: "
                    + String.join(", ", notComplete.subList(0, Math.min(5, notComplete.size())))
                    + (notComplete.size() > 5 ? ", …" : "") + " (see scanner-service.log)");
        }
        if (total == 0) {
            failures.add("no exclusions were reconciled into the register");
        }
        if (!d.settled()) {
            failures.add("alerts not settled after " + d.waitedSeconds() + " s (" + d.pending()
                    + " deliveries still pending)");
        } else if (d.pending() > 0) {
            failures.add(d.pending() + " deliveries still pending");
        }
        if (d.dead() > 0) {
            failures.add(d.dead() + " deliveries dead (see notifier-service.log)");
        }
        if (d.teams() == 0) {
            failures.add("no Teams card reached the sink");
        }
        if (d.webhooks() == 0) {
            failures.add("no webhook reached the sink");
        }
        if (d.badSignatures() > 0) {
            failures.add(d.badSignatures() + " webhooks had a bad signature");
        }
        if (d.validSignatures() < d.webhooks()) {
            failures.add((d.webhooks() - d.validSignatures()) + " of " + d.webhooks()
                    + " webhooks not verified as signed (is SINK_WEBHOOK_SECRET set for the sink and this client?)");
        }
        int cardsDelivered = d.toSink().getOrDefault(SINK_TEAMS, 0);
        int webhooksDelivered = d.toSink().getOrDefault(SINK_WEBHOOK, 0);
        if (d.teams() < cardsDelivered) {
            failures.add("the notifier delivered " + cardsDelivered + " Teams cards, the sink received " + d.teams());
        }
        if (d.webhooks() < webhooksDelivered) {
            failures.add("the notifier delivered " + webhooksDelivered + " webhooks, the sink received " + d.webhooks());
        }
        if (cardsDelivered != webhooksDelivered) {
            failures.add("every alert goes to both sink destinations, but " + cardsDelivered + " were delivered as Teams cards and "
                    + webhooksDelivered + " as webhooks");
        }
        return failures;
    }

    // --- Helpers ------------------------------------------------------------------------------------------

    private HttpResponse<String> send(String service, String method, String url, JsonNode body) throws StepFailed, InterruptedException {
        return sendAs(apiKey, service, method, url, body);
    }

    private HttpResponse<String> sendAs(String key, String service, String method, String url, JsonNode body)
            throws StepFailed, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json").header("X-API-Key", key);
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                throw new StepFailed(service, method + " " + URI.create(url).getPath() + " answered " + r.statusCode()
                        + ": the admin API key was refused (is mfagov.security.bootstrap-admin-key-hash set?)");
            }
            return r;
        } catch (IOException e) {
            throw new StepFailed(service, method + " " + url + " failed: " + e);
        }
    }

    private JsonNode json(String service, HttpResponse<String> r, int expected) throws StepFailed {
        if (r.statusCode() != expected) {
            throw new StepFailed(service, r.request().method() + " " + r.request().uri().getPath() + " answered "
                    + r.statusCode() + ": " + problem(r));
        }
        try {
            return mapper.readTree(r.body());
        } catch (IOException e) {
            throw new StepFailed(service, "unreadable answer from " + r.request().uri() + ": " + e.getMessage());
        }
    }

    private static void expect(String service, HttpResponse<String> r, int... ok) throws StepFailed {
        for (int s : ok) {
            if (r.statusCode() == s) {
                return;
            }
        }
        throw new StepFailed(service, r.request().method() + " " + r.request().uri().getPath() + " answered " + r.statusCode());
    }

    private String problem(HttpResponse<String> r) {
        try {
            JsonNode p = mapper.readTree(r.body());
            String detail = p.path("detail").asText(p.path("title").asText(""));
            return detail.isEmpty() ? ellipsis(r.body(), 200) : detail;
        } catch (IOException | RuntimeException e) {
            return ellipsis(r.body() == null ? "" : r.body(), 200);
        }
    }

    private void step(String what, String text) {
        out.printf("  %-12s %s%n", what, text);
    }

    private boolean inProgress;
    private String lastProgress;

    private void progress(String what, String text) {
        if (text.equals(lastProgress)) {
            return;
        }
        lastProgress = text;
        if (tty) {
            out.printf("\r  %-12s %-90s", what, text);
            inProgress = true;
        } else {
            step(what, text);
        }
        out.flush();
    }

    private void endProgress() {
        if (inProgress) {
            out.println();
            inProgress = false;
        }
    }

    private static String join(Map<String, Integer> counts) {
        StringBuilder sb = new StringBuilder();
        counts.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
        return sb.toString();
    }

    private static String ellipsis(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
