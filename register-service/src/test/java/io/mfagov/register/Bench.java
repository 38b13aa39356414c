package io.mfagov.register;

import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.kafka.EventRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Shared by the benchmarks (tag "benchmark", run with -Dbench): results file, database access, a fast producer. */
final class Bench {

    private static final Path RESULTS = Path.of("target", "benchmark-results.txt");
    private static boolean started;

    private Bench() {
    }

    /** Prints a line and appends it to target/benchmark-results.txt (emptied by the first line of a run). */
    static synchronized void report(String line) {
        System.out.println("BENCH " + line);
        try {
            Files.createDirectories(RESULTS.getParent());
            if (!started) {
                Files.writeString(RESULTS, "", StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
                started = true;
            }
            Files.writeString(RESULTS, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Connection db() throws SQLException {
        return DriverManager.getConnection(PostgresTestResource.jdbcUrl(), PostgresTestResource.username(),
                PostgresTestResource.password());
    }

    static long longValue(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A producer tuned for throughput (the scanner's records, pre-encoded before the clock starts). */
    static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024, ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024,
                ProducerConfig.CLIENT_ID_CONFIG, "register-bench"), new StringSerializer(), new StringSerializer());
    }

    static List<ProducerRecord<String, String>> records(List<? extends EventEnvelope<?>> envelopes) {
        return envelopes.stream().map(EventRecords::toRecord).toList();
    }

    static void sendAll(KafkaProducer<String, String> producer, List<ProducerRecord<String, String>> records) {
        for (ProducerRecord<String, String> r : records) {
            producer.send(r);
        }
        producer.flush();
    }

    static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String machine() {
        String load;
        try {
            load = Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            load = "?";
        }
        return "nproc=" + Runtime.getRuntime().availableProcessors() + ", loadavg " + load;
    }
}
