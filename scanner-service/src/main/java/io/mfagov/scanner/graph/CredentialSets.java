package io.mfagov.scanner.graph;

import io.mfagov.scanner.config.ScannerSettings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The credential sets a tenant's {@code credentialRef} chooses from: the default set (top-level {@code mfagov.graph.*})
 * and the named ones ({@code mfagov.graph.credentials."<name>".*}). A null or blank ref, or {@code default}, is the
 * default set; names match case-insensitively.
 *
 * <p>Also the registry of every secret value this process knows — configured ones and those read from files (secret
 * files, federated tokens) as they are read — so that the {@link Redactor} removes them from any text, rotated
 * values included.
 */
public final class CredentialSets {

    /** Secret values read from files and remembered for redaction (the oldest forgotten beyond this). */
    private static final int REMEMBERED = 64;

    private final CredentialSet defaultSet;
    private final Map<String, CredentialSet> named;
    private final List<String> configured = new ArrayList<>();
    private final LinkedHashSet<String> read = new LinkedHashSet<>();

    public CredentialSets(CredentialSet defaultSet, Collection<CredentialSet> named, Collection<String> otherSecrets) {
        this.defaultSet = defaultSet;
        Map<String, CredentialSet> byName = new LinkedHashMap<>();
        for (CredentialSet s : named) {
            byName.put(s.name().toLowerCase(Locale.ROOT), s);
        }
        this.named = Map.copyOf(byName);
        List<CredentialSet> all = new ArrayList<>(named);
        all.add(defaultSet);
        for (CredentialSet s : all) {
            s.clientSecret().ifPresent(configured::add);
            s.certificatePassword().ifPresent(configured::add);
        }
        otherSecrets.stream().filter(s -> s != null && !s.isBlank()).forEach(configured::add);
    }

    /** Only the default set, from the settings (client secret or certificate), as before credential sets existed. */
    public static CredentialSets of(ScannerSettings settings) {
        CredentialSet d = new CredentialSet(CredentialSet.DEFAULT, settings.clientId(), settings.clientSecret(),
                Optional.empty(), settings.certificatePath(), settings.certificatePassword(), Optional.empty(),
                settings.authorityHost());
        return new CredentialSets(d, List.of(), settings.secrets());
    }

    /** The settings' default set plus these named sets (tests and tools). */
    public static CredentialSets of(ScannerSettings settings, CredentialSet... named) {
        CredentialSets base = of(settings);
        return new CredentialSets(base.defaultSet, List.of(named), settings.secrets());
    }

    public CredentialSet defaultSet() {
        return defaultSet;
    }

    /** The set a credentialRef names; empty when no such set is configured. */
    public Optional<CredentialSet> resolve(String ref) {
        if (ref == null || ref.isBlank() || CredentialSet.DEFAULT.equalsIgnoreCase(ref.trim())) {
            return Optional.of(defaultSet);
        }
        return Optional.ofNullable(named.get(ref.trim().toLowerCase(Locale.ROOT)));
    }

    /** The configured set names (never their content). */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        out.add(CredentialSet.DEFAULT);
        named.values().forEach(s -> out.add(s.name()));
        return out;
    }

    /** Remembers a secret value read from a file, so no text shows it from now on. */
    public void remember(String secret) {
        if (secret == null || secret.length() < 4) {
            return;
        }
        synchronized (read) {
            read.remove(secret);
            read.add(secret);
            if (read.size() > REMEMBERED) {
                Iterator<String> it = read.iterator();
                it.next();
                it.remove();
            }
        }
    }

    /** Every secret value known now (configured and read). */
    public List<String> secrets() {
        List<String> out = new ArrayList<>(configured);
        synchronized (read) {
            out.addAll(read);
        }
        return out;
    }
}
