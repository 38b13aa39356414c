package io.mfagov.deploycheck;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a kustomization with kustomize itself ({@code kubectl kustomize}, or a standalone {@code kustomize build}):
 * never a renderer of our own, so what is checked is what {@code kubectl apply -k} would send.
 */
final class Kustomize {

    static final String INSTALL_HINT = "deploy-check renders deploy/k8s with kustomize v5 and found neither `kubectl` "
            + "(v1.31+, which embeds Kustomize v5.5) nor `kustomize` (v5.5+) on the PATH. Install one of them, e.g. "
            + "kubectl from the Kubernetes package repository (https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/) "
            + "or the kustomize release binary, then run the build again.";

    private static final Pattern VERSION = Pattern.compile("Kustomize Version: v?(\\d+)\\.(\\d+)|kustomize/v?(\\d+)\\.(\\d+)|^v?(\\d+)\\.(\\d+)");
    private static final Map<Path, String> RENDERED = new ConcurrentHashMap<>();
    private static volatile List<String> command;

    private Kustomize() {
    }

    /** The rendered YAML of a kustomization directory; cached, a render costs ~0.1–0.5 s. */
    static String render(Path dir) {
        return RENDERED.computeIfAbsent(dir.toAbsolutePath().normalize(), Kustomize::renderNow);
    }

    private static String renderNow(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new AssertionError("no kustomization directory " + dir);
        }
        List<String> cmd = new java.util.ArrayList<>(command());
        cmd.add(dir.toString());
        Result r = run(cmd);
        if (r.exit != 0) {
            throw new AssertionError("kustomize could not render " + dir + " (" + String.join(" ", cmd) + "):\n" + r.err);
        }
        return r.out;
    }

    /** {@code kubectl kustomize} or {@code kustomize build}, after checking it is Kustomize v5. */
    static List<String> command() {
        List<String> c = command;
        if (c != null) {
            return c;
        }
        String kubectl = onPath("kubectl");
        String kustomize = onPath("kustomize");
        if (kubectl != null) {
            requireV5(run(List.of(kubectl, "version", "--client")), kubectl);
            c = List.of(kubectl, "kustomize");
        } else if (kustomize != null) {
            requireV5(run(List.of(kustomize, "version")), kustomize);
            c = List.of(kustomize, "build");
        } else {
            throw new AssertionError(INSTALL_HINT);
        }
        command = c;
        return c;
    }

    private static void requireV5(Result version, String tool) {
        Matcher m = VERSION.matcher(version.out);
        int major = -1;
        while (m.find()) {
            for (int g = 1; g <= 5; g += 2) {
                if (m.group(g) != null) {
                    major = Integer.parseInt(m.group(g));
                }
            }
        }
        if (major < 5) {
            throw new AssertionError(tool + " does not report Kustomize v5 (it said: " + version.out.strip() + "). "
                    + INSTALL_HINT);
        }
    }

    private static String onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result run(List<String> cmd) {
        try {
            Path out = Files.createTempFile("kustomize", ".out");
            Path err = Files.createTempFile("kustomize", ".err");
            try {
                Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError(String.join(" ", cmd) + " did not finish in 60 s");
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("could not run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
