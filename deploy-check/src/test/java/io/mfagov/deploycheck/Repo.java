package io.mfagov.deploycheck;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository and the local Maven repository are (set by Surefire; sensible defaults for an IDE). */
final class Repo {

    private Repo() {
    }

    static Path root() {
        Path p = Path.of(System.getProperty("mfagov.root", "..")).toAbsolutePath().normalize();
        if (!Files.isDirectory(p.resolve("deploy"))) {
            throw new AssertionError("not the mfagov repository root: " + p);
        }
        return p;
    }

    static Path k8s() {
        return root().resolve("deploy/k8s");
    }

    static Path overlay(String name) {
        return k8s().resolve("overlays").resolve(name);
    }

    static Path fixture(String name) {
        return Path.of(System.getProperty("mfagov.fixtures", "src/test/resources/fixtures")).toAbsolutePath()
                .resolve(name);
    }

    static Path localMavenRepository() {
        return Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"));
    }
}
