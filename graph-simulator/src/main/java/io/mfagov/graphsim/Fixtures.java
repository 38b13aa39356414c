package io.mfagov.graphsim;

import com.fasterxml.jackson.databind.JsonNode;
import io.mfagov.graphsim.internal.Json;
import io.mfagov.graphsim.model.Tenant;
import io.mfagov.graphsim.model.TenantFixture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads tenant fixtures: a file holds one tenant object, an array of tenants, or {"tenants":[...]}; a directory
 * holds any number of such *.json files (read in file-name order, recursively).
 */
public final class Fixtures {
    private Fixtures() {
    }

    public static List<TenantFixture> readDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("not a directory: " + dir);
        }
        List<TenantFixture> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                out.addAll(readFile(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static List<TenantFixture> readFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture " + file, e);
        }
    }

    public static List<TenantFixture> read(InputStream in, String name) {
        try {
            JsonNode root = Json.MAPPER.readTree(in);
            List<TenantFixture> out = new ArrayList<>();
            JsonNode list = root.isArray() ? root : root.has("tenants") ? root.get("tenants") : null;
            if (list != null) {
                for (JsonNode n : list) {
                    out.add(Json.MAPPER.treeToValue(n, TenantFixture.class));
                }
            } else {
                out.add(Json.MAPPER.treeToValue(root, TenantFixture.class));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid fixture " + name + ": " + e.getMessage(), e);
        }
    }

    /** The four hand-written demo tenants shipped with the simulator (see {@link DemoTenants}). */
    public static List<TenantFixture> demo() {
        List<TenantFixture> out = new ArrayList<>();
        for (String r : DemoTenants.RESOURCES) {
            try (InputStream in = Fixtures.class.getResourceAsStream(r)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + r);
                }
                out.addAll(read(in, r));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** Validates fixtures by building tenants (IllegalArgumentException names the problem). */
    public static List<Tenant> build(List<TenantFixture> fixtures) {
        return build(fixtures, java.time.Instant.now());
    }

    /** As {@link #build(List)}, resolving relative sign-in times ("-3d") against {@code now} (the simulator clock). */
    public static List<Tenant> build(List<TenantFixture> fixtures, java.time.Instant now) {
        List<Tenant> out = new ArrayList<>(fixtures.size());
        for (TenantFixture f : fixtures) {
            out.add(Tenant.fromFixture(f, now));
        }
        return out;
    }

    public static void write(TenantFixture f, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
