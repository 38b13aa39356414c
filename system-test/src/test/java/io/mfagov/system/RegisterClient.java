package io.mfagov.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mfagov.devstack.testing.PackagedService;
import io.mfagov.devstack.testing.TestTokens;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged register seen from outside: its REST API with test tokens per role, and the repository's CLI. */
final class RegisterClient {

    static final ObjectMapper JSON = new ObjectMapper();

    /** What {@code ./mfagov} returned. */
    record Cli(int exit, String out, String err) {
    }

    private final PackagedService register;
    private final HttpClient http = HttpClient.newHttpClient();

    RegisterClient(PackagedService register) {
        this.register = register;
    }

    /** The product's topics and their dead-letter topics, 3 partitions each, as the tests' broker needs them. */
    static void createTopics() {
        io.mfagov.devstack.testing.KafkaTestResource.createTopics(3, io.mfagov.model.Topics.SCAN_REQUESTS,
                io.mfagov.model.Topics.SCAN_RESULTS, io.mfagov.model.Topics.ALERTS, io.mfagov.model.Topics.REMEDIATION_REQUESTS,
                io.mfagov.model.Topics.deadLetter(io.mfagov.model.Topics.SCAN_REQUESTS),
                io.mfagov.model.Topics.deadLetter(io.mfagov.model.Topics.SCAN_RESULTS),
                io.mfagov.model.Topics.deadLetter(io.mfagov.model.Topics.ALERTS),
                io.mfagov.model.Topics.deadLetter(io.mfagov.model.Topics.REMEDIATION_REQUESTS));
    }

    static String admin() {
        return TestTokens.token("alice.admin@msp.example", "admin");
    }

    static String requester() {
        return TestTokens.token("rita.requester@msp.example", "requester");
    }

    static String approver() {
        return TestTokens.token("adam.approver@msp.example", "approver");
    }

    static String reader() {
        return TestTokens.token("rob.reader@msp.example", "reader");
    }

    HttpResponse<String> call(String method, String path, JsonNode body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(register.url() + path))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET as a reader, 2xx expected, the JSON body. */
    JsonNode get(String path) throws Exception {
        return body(call("GET", path, null, reader()));
    }

    static HttpResponse<String> expect(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.request().uri() + ": " + response.body()).isEqualTo(status);
        return response;
    }

    static JsonNode body(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.request().uri() + ": " + response.body()).isBetween(200, 299);
        return JSON.readTree(response.body());
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Runs ./mfagov (the repository's CLI) against the register with the token in the environment. */
    Cli cli(String token, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", Path.of("..", "mfagov").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("MFAGOV_REGISTER_URL", register.url());
        builder.environment().put("MFAGOV_TOKEN", token);
        builder.environment().remove("MFAGOV_API_KEY");
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Cli(process.exitValue(), out, err.get());
    }
}
