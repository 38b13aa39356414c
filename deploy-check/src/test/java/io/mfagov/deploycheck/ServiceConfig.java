package io.mfagov.deploycheck;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;

/**
 * What configuration a service really reads, taken from its code: the keys of its application.properties (every
 * profile), the environment variables those name in {@code ${…}} expressions, its {@code @ConfigMapping} interfaces
 * (walked by reflection), the config model every Quarkus extension it depends on ships
 * ({@code META-INF/quarkus-config-doc/quarkus-config-model.json}), Kafka client settings ({@code kafka.*}, passed to
 * every channel and the register's producer) and its messaging channels.
 */
final class ServiceConfig {

    /** Read by the JVM itself, not a config property: allowed in a Deployment's env. */
    static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

    private static final Map<Service, ServiceConfig> CACHE = new ConcurrentHashMap<>();
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\s*\\(");
    private static final String QUARKUS_VERSION_PROPERTY = "quarkus.platform.version";

    final Service service;
    final Set<String> propertyKeys = new TreeSet<>();
    final Set<String> referencedEnv = new TreeSet<>();
    final List<Pattern> mappingEnv = new ArrayList<>();
    final List<Pattern> extensionEnv = new ArrayList<>();
    final Set<String> extensions = new TreeSet<>();
    /** channel → topic */
    final Map<String, String> incoming = new LinkedHashMap<>();
    final Map<String, String> outgoing = new LinkedHashMap<>();
    /** channel → consumer group / dead-letter topic */
    final Map<String, String> groups = new LinkedHashMap<>();
    final Map<String, String> deadLetters = new LinkedHashMap<>();
    /** non-application root path and health root path (SmallRye Health defaults unless configured) */
    String nonApplicationRoot = "q";
    String healthRoot = "health";
    /** quarkus.micrometer.export.prometheus.path: relative to the non-application root unless absolute */
    String metricsPath = "/q/metrics";
    /** quarkus.management.port (build time; Quarkus' default 9000): where health and metrics are served in the cluster */
    int managementPort = Checks.MANAGEMENT_PORT;

    static ServiceConfig of(Service service) {
        return CACHE.computeIfAbsent(service, ServiceConfig::new);
    }

    private ServiceConfig(Service service) {
        this.service = service;
        for (String module : service.configModules()) {
            Path dir = Repo.root().resolve(module);
            readProperties(dir.resolve("src/main/resources/application.properties"));
            readMappings(dir.resolve("src/main/java"));
            readExtensions(dir.resolve("pom.xml"));
        }
        readExtensionModels();
    }

    /** The property (or reason) an environment variable sets for this service, if any. */
    Optional<String> propertyOf(String env) {
        if (JVM_VARIABLES.contains(env)) {
            return Optional.of("(read by the JVM)");
        }
        if (referencedEnv.contains(env)) {
            return Optional.of("${" + env + "} in application.properties");
        }
        for (String key : propertyKeys) {
            // a quarkus.* key counts only if it is read at run time: a build-time one set by env changes nothing
            if (envForm(key).equals(env) && (!key.startsWith("quarkus.") || runtimeQuarkus(env))) {
                return Optional.of(key);
            }
        }
        for (Pattern p : mappingEnv) {
            if (p.matcher(env).matches()) {
                return Optional.of("@ConfigMapping " + p.pattern());
            }
        }
        for (Pattern p : extensionEnv) {
            if (p.matcher(env).matches()) {
                return Optional.of("Quarkus " + p.pattern());
            }
        }
        if (env.startsWith("KAFKA_")) {
            Optional<String> k = kafkaClientProperty(env.substring("KAFKA_".length()));
            if (k.isPresent()) {
                return Optional.of("kafka." + k.get());
            }
        }
        for (var channels : List.of(Map.entry("incoming", incoming), Map.entry("outgoing", outgoing))) {
            for (String channel : channels.getValue().keySet()) {
                String prefix = envForm("mp.messaging." + channels.getKey() + "." + channel + ".");
                if (env.startsWith(prefix)) {
                    Optional<String> k = kafkaClientProperty(env.substring(prefix.length()));
                    if (k.isPresent()) {
                        return Optional.of("mp.messaging." + channels.getKey() + "." + channel + "." + k.get());
                    }
                }
            }
        }
        return Optional.empty();
    }

    private boolean runtimeQuarkus(String env) {
        return extensionEnv.stream().anyMatch(p -> p.matcher(env).matches());
    }

    static String envForm(String property) {
        StringBuilder b = new StringBuilder(property.length());
        for (char c : property.toCharArray()) {
            b.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return b.toString();
    }

    /** A Kafka client setting (consumer, producer or admin) whose env form is the given suffix. */
    static Optional<String> kafkaClientProperty(String envSuffix) {
        Set<String> names = new HashSet<>();
        names.addAll(ConsumerConfig.configNames());
        names.addAll(ProducerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return names.stream().filter(n -> envForm(n).equals(envSuffix)).findFirst();
    }

    private void readProperties(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : p.stringPropertyNames()) {
            String value = p.getProperty(key);
            String k = key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key;
            propertyKeys.add(k);
            Matcher m = ENV_REFERENCE.matcher(value);
            while (m.find()) {
                referencedEnv.add(m.group(1));
            }
            if (key.startsWith("%")) {
                continue; // profile-specific channels (e.g. %cli) do not define channels
            }
            Matcher ch = Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.(topic|group\\.id|dead-letter-queue\\.topic)").matcher(k);
            if (ch.matches()) {
                String channel = ch.group(2);
                switch (ch.group(3)) {
                    case "topic" -> (ch.group(1).equals("incoming") ? incoming : outgoing).put(channel, value);
                    case "group.id" -> groups.put(channel, value);
                    default -> deadLetters.put(channel, value);
                }
            }
            if (k.equals("quarkus.http.non-application-root-path")) {
                nonApplicationRoot = value.replaceAll("^/+|/+$", "");
            }
            if (k.equals("quarkus.management.port") && !key.startsWith("%")) {
                managementPort = Integer.parseInt(value.trim());
            }
            if (k.equals("quarkus.micrometer.export.prometheus.path")) {
                metricsPath = value.startsWith("/") ? value : "/" + nonApplicationRoot + "/" + value;
            }
            if (k.equals("quarkus.smallrye-health.root-path")) {
                healthRoot = value.replaceAll("^/+|/+$", "");
            }
        }
    }

    /** Finds the {@code @ConfigMapping} interfaces in the sources, loads them, and turns their properties into env patterns. */
    private void readMappings(Path sources) {
        if (!Files.isDirectory(sources)) {
            return;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f);
                if (!MAPPING.matcher(text).find()) {
                    continue;
                }
                String className = sources.relativize(f).toString().replace('/', '.').replaceAll("\\.java$", "");
                Class<?> type = Class.forName(className, false, getClass().getClassLoader());
                ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
                if (mapping == null) {
                    throw new AssertionError(className + " mentions @ConfigMapping but is not annotated with it");
                }
                walk(type, Pattern.quote(envForm(mapping.prefix())), new HashSet<>());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("a @ConfigMapping class is not on deploy-check's test classpath: " + e.getMessage(), e);
        }
    }

    private static final String ANY_KEY = "[A-Z0-9_]+";

    private void walk(Class<?> group, String prefix, Set<Class<?>> path) {
        if (!path.add(group)) {
            return;
        }
        for (Method m : group.getMethods()) {
            if (m.getParameterCount() != 0 || m.isDefault() || Modifier.isStatic(m.getModifiers())
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            String segment;
            if (m.isAnnotationPresent(WithParentName.class)) {
                segment = null;
            } else if (m.isAnnotationPresent(WithName.class)) {
                segment = m.getAnnotation(WithName.class).value();
            } else {
                segment = kebab(m.getName());
            }
            String here = segment == null ? prefix : prefix + "_" + Pattern.quote(envForm(segment));
            leafOrGroup(m.getGenericReturnType(), here, path);
        }
        path.remove(group);
    }

    private void leafOrGroup(Type type, String prefix, Set<Class<?>> path) {
        if (type instanceof ParameterizedType pt && pt.getRawType() instanceof Class<?> raw) {
            Type[] args = pt.getActualTypeArguments();
            if (Optional.class == raw) {
                leafOrGroup(args[0], prefix, path);
                return;
            }
            if (Map.class.isAssignableFrom(raw)) {
                // a map: any key below the prefix (quoted keys become _..._ in env form)
                leafOrGroup(args[1], prefix + "_" + ANY_KEY, path);
                mappingEnv.add(Pattern.compile(prefix + "_" + ANY_KEY));
                return;
            }
            if (Collection.class.isAssignableFrom(raw)) {
                if (isGroup(args[0])) {
                    leafOrGroup(args[0], prefix + "_[0-9]+_", path);
                }
                mappingEnv.add(Pattern.compile(prefix));
                return;
            }
        }
        if (isGroup(type)) {
            walk((Class<?>) type, prefix, path);
        } else {
            mappingEnv.add(Pattern.compile(prefix));
        }
    }

    private static boolean isGroup(Type type) {
        return type instanceof Class<?> c && c.isInterface() && !c.getName().startsWith("java.");
    }

    /** A property name whose quoted segments ({@code "datasource-name"}) stand for any key, as an env-name pattern. */
    static Pattern propertyPattern(String property) {
        String[] parts = property.split("\"[^\"]*\"", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append("_").append(ANY_KEY).append("_");
            }
            regex.append(Pattern.quote(envForm(parts[i])));
        }
        return Pattern.compile(regex.toString());
    }

    static String kebab(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0 && !Character.isUpperCase(name.charAt(i - 1))) {
                    b.append('-');
                }
                b.append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The io.quarkus artifacts a module's pom depends on (not test), to which their own dependencies are added. */
    private void readExtensions(Path pom) {
        if (!Files.exists(pom)) {
            return;
        }
        Deque<String> todo = new ArrayDeque<>(quarkusDependencies(pom));
        todo.add("quarkus-core");
        while (!todo.isEmpty()) {
            String a = todo.pop();
            if (!extensions.add(a)) {
                continue;
            }
            Path extPom = Repo.localMavenRepository().resolve("io/quarkus").resolve(a).resolve(quarkusVersion())
                    .resolve(a + "-" + quarkusVersion() + ".pom");
            if (Files.exists(extPom)) {
                todo.addAll(quarkusDependencies(extPom));
            }
        }
    }

    private static final Pattern DEPENDENCY = Pattern.compile(
            "<dependency>\\s*<groupId>io\\.quarkus</groupId>\\s*<artifactId>([^<]+)</artifactId>(.*?)</dependency>",
            Pattern.DOTALL);

    private static List<String> quarkusDependencies(Path pom) {
        try {
            String xml = Files.readString(pom);
            List<String> out = new ArrayList<>();
            Matcher m = DEPENDENCY.matcher(xml);
            while (m.find()) {
                String rest = m.group(2);
                if (rest.contains("<scope>test</scope>") || rest.contains("<optional>true</optional>")
                        || rest.contains("<type>pom</type>")) {
                    continue;
                }
                out.add(m.group(1).trim());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String quarkusVersion() {
        return System.getProperty(QUARKUS_VERSION_PROPERTY, "3.33.2");
    }

    /** Env names of the runtime properties of the service's extensions, from the config models they ship. */
    private void readExtensionModels() {
        try {
            Enumeration<URL> models = getClass().getClassLoader()
                    .getResources("META-INF/quarkus-config-doc/quarkus-config-model.json");
            while (models.hasMoreElements()) {
                URL url = models.nextElement();
                JsonNode model;
                try (InputStream in = url.openStream()) {
                    model = Manifests.JSON.readTree(in);
                }
                for (JsonNode root : model.path("configRoots")) {
                    if (!extensions.contains(root.path("extension").path("artifactId").asText())) {
                        continue;
                    }
                    collect(root.path("items"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void collect(JsonNode items) {
        for (JsonNode item : items) {
            if (item.has("items")) {
                collect(item.path("items"));
            }
            String phase = item.path("phase").asText("");
            if (!item.has("path") || phase.startsWith("BUILD")) {
                continue; // fixed at build time: setting it in a Deployment changes nothing
            }
            extensionEnv.add(propertyPattern(item.path("path").path("property").asText()));
            for (JsonNode extra : item.path("additionalPaths")) {
                extensionEnv.add(propertyPattern(extra.path("property").asText()));
            }
        }
    }
}
