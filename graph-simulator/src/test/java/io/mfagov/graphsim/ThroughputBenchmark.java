package io.mfagov.graphsim;

import io.mfagov.graphsim.model.Tenant;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator's own throughput (not a timed test; run with {@code -Dbench}): requests/s for the CA policy list
 * and for getByIds, zero latency, limits off, 64 concurrent keep-alive connections from a Vert.x HTTP client in the
 * same JVM (client and server share the machine's cores, so the figures are a lower bound).
 */
@Tag("benchmark")
class ThroughputBenchmark {

    static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 64);
    static final int SECONDS = Integer.getInteger("bench.seconds", 10);

    record Result(String name, double rps, long ok, long failed, double meanMs) {
    }

    @Test
    void policyListAndGetByIdsThroughput() throws Exception {
        try (GraphSimulator sim = GraphSimulator.start(Http.config().generated(1, 200).noLimits().build())) {
            List<Tenant> tenants = sim.tenants().all().stream().filter(t -> !t.policyEntries().isEmpty()).toList();
            Vertx vertx = Vertx.vertx();
            try {
                HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                        new PoolOptions().setHttp1MaxSize(CONCURRENCY));
                URI base = URI.create(sim.graphBaseUrl());
                StringBuilder sb = new StringBuilder();
                Result policies = run(client, base, "CA policy list (" + avgPolicies(tenants) + " policies/tenant avg)", i -> {
                    Tenant t = tenants.get(i % tenants.size());
                    return new Req(HttpMethod.GET, "/v1.0/identity/conditionalAccess/policies", sim.staticToken(t.id()), null);
                });
                List<Tenant> t100 = sim.tenants().all().stream().filter(t -> t.users().size() >= 100).toList();
                List<Tenant> t1000 = sim.tenants().all().stream().filter(t -> t.users().size() >= 1000).toList();
                Result ids100 = run(client, base, "getByIds, 100 existing user ids", i -> getByIds(sim, t100.get(i % t100.size()), 100));
                Result ids1000 = run(client, base, "getByIds, 1000 existing user ids", i -> getByIds(sim, t1000.get(i % t1000.size()), 1000));
                for (Result r : List.of(policies, ids100, ids1000)) {
                    String line = String.format("BENCH %-45s %8.0f req/s  (%d ok, %d failed, mean latency %.1f ms, concurrency %d, %d s)",
                            r.name(), r.rps(), r.ok(), r.failed(), r.meanMs(), CONCURRENCY, SECONDS);
                    System.out.println(line);
                    sb.append(line).append('\n');
                    assertThat(r.failed()).isZero();
                }
                Path out = Path.of("target", "benchmark-results.txt");
                Files.writeString(out, sb.toString(), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    record Req(HttpMethod method, String path, String token, Buffer body) {
    }

    static int avgPolicies(List<Tenant> tenants) {
        return (int) Math.round(tenants.stream().mapToInt(t -> t.policyEntries().size()).average().orElse(0));
    }

    static Req getByIds(GraphSimulator sim, Tenant t, int n) {
        StringBuilder b = new StringBuilder("{\"ids\":[");
        for (int k = 0; k < n; k++) {
            String id = k < t.users().size() ? t.users().get(k).id() : java.util.UUID.nameUUIDFromBytes(("x" + k).getBytes()).toString();
            b.append(k == 0 ? "" : ",").append('"').append(id).append('"');
        }
        b.append("],\"types\":[\"user\",\"group\"]}");
        return new Req(HttpMethod.POST, "/v1.0/directoryObjects/getByIds", sim.staticToken(t.id()), Buffer.buffer(b.toString()));
    }

    static Result run(HttpClient client, URI base, String name, IntFunction<Req> requests) throws InterruptedException {
        // pre-build a ring of requests so request construction is not measured
        Req[] ring = new Req[256];
        for (int i = 0; i < ring.length; i++) {
            ring[i] = requests.apply(i);
        }
        phase(client, base, ring, 3, new AtomicLong(), new AtomicLong(), new AtomicLong()); // warm-up
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong nanos = new AtomicLong();
        long t0 = System.nanoTime();
        phase(client, base, ring, SECONDS, ok, failed, nanos);
        double secs = (System.nanoTime() - t0) / 1e9;
        long n = ok.get() + failed.get();
        return new Result(name, n / secs, ok.get(), failed.get(), n == 0 ? 0 : nanos.get() / 1e6 / n);
    }

    static void phase(HttpClient client, URI base, Req[] ring, int seconds, AtomicLong ok, AtomicLong failed, AtomicLong nanos)
            throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong seq = new AtomicLong();
        CountDownLatch done = new CountDownLatch(CONCURRENCY);
        for (int c = 0; c < CONCURRENCY; c++) {
            next(client, base, ring, running, seq, ok, failed, nanos, done);
        }
        Thread.sleep(seconds * 1000L); // the measuring window, not a timing assertion
        running.set(false);
        done.await(30, TimeUnit.SECONDS);
    }

    static void next(HttpClient client, URI base, Req[] ring, AtomicBoolean running, AtomicLong seq, AtomicLong ok,
                     AtomicLong failed, AtomicLong nanos, CountDownLatch done) {
        if (!running.get()) {
            done.countDown();
            return;
        }
        Req r = ring[(int) (seq.getAndIncrement() % ring.length)];
        long start = System.nanoTime();
        RequestOptions o = new RequestOptions().setMethod(r.method()).setHost(base.getHost()).setPort(base.getPort())
                .setURI(r.path()).addHeader("Authorization", "Bearer " + r.token());
        if (r.body() != null) {
            o.addHeader("Content-Type", "application/json");
        }
        client.request(o)
                .compose(req -> r.body() == null ? req.send() : req.send(r.body()))
                .compose(resp -> resp.body().map(b -> resp.statusCode()))
                .onComplete(ar -> {
                    nanos.addAndGet(System.nanoTime() - start);
                    if (ar.succeeded() && ar.result() == 200) {
                        ok.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                    next(client, base, ring, running, seq, ok, failed, nanos, done);
                });
    }
}
