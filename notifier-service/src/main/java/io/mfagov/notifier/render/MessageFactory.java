package io.mfagov.notifier.render;

import io.mfagov.notifier.outbound.WebhookSigner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.model.EventCodec;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertLink;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.notifier.repository.DestinationType;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.EnumSet;
import java.util.Set;

/** Builds what a destination receives: Adaptive Card messages for Teams, signed JSON for webhooks. */
@ApplicationScoped
public class MessageFactory {

    public static final String CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";
    public static final String CARD_VERSION = "1.4";
    public static final String CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
    /** Cards beyond this many alerts in one digest are summarised as "and N more" (Teams caps card size). */
    static final int MAX_DIGEST_ITEMS = 20;
    private static final int MAX_ACTIONS = 5;

    private final ObjectMapper mapper = EventCodec.get().mapper();
    private final Clock clock = Clock.systemUTC();

    /** One delivery: an alert and the id of its (alert, destination) record. */
    public record Item(String deliveryId, AlertRaised alert) {
    }

    public OutgoingMessage immediate(DestinationType type, String secret, Item item) {
        return switch (type) {
            case TEAMS_WORKFLOW -> teams(alertCard(item.alert()), item.deliveryId());
            case WEBHOOK -> webhook(secret, item);
        };
    }

    public OutgoingMessage digest(String tenantId, List<Item> items, String digestId) {
        return teams(digestCard(tenantId, items), digestId);
    }

    public OutgoingMessage test(DestinationType type, String secret, String destinationName) {
        AlertRaised sample = new AlertRaised("test:" + java.util.UUID.randomUUID(),
                "00000000-0000-0000-0000-000000000000", AlertKind.UNAPPROVED_EXCLUSION,
                io.mfagov.model.events.Severity.INFO,
                "Test message from mfagov to '" + destinationName + "': this destination is reachable.",
                null, null, Map.of("Reason", "Test message requested through the API"), null, Instant.now(clock));
        String id = "test-" + java.util.UUID.randomUUID();
        return switch (type) {
            case TEAMS_WORKFLOW -> teams(alertCard(sample), id);
            case WEBHOOK -> webhook(secret, new Item(id, sample));
        };
    }

    // --- Teams --------------------------------------------------------------------------------------

    private OutgoingMessage teams(ObjectNode card, String id) {
        ObjectNode message = mapper.createObjectNode();
        message.put("type", "message");
        ObjectNode attachment = message.putArray("attachments").addObject();
        attachment.put("contentType", CARD_CONTENT_TYPE);
        attachment.putNull("contentUrl");
        attachment.set("content", card);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(WebhookSigner.EVENT_ID_HEADER, id);
        return new OutgoingMessage(bytes(message), headers);
    }

    ObjectNode alertCard(AlertRaised alert) {
        ObjectNode card = newCard();
        ArrayNode body = (ArrayNode) card.get("body");
        body.addObject().put("type", "TextBlock").put("text", title(alert.kind()))
                .put("weight", "Bolder").put("size", "Medium").put("wrap", true).put("color", color(alert));
        body.addObject().put("type", "TextBlock").put("text", alert.subject()).put("wrap", true);
        body.add(factSet(alert, true));
        addSuggestedAction(body, alert);
        body.addObject().put("type", "TextBlock").put("isSubtle", true).put("size", "Small").put("wrap", true)
                .put("text", "Severity " + alert.severity() + " · raised " + alert.raisedAt() + " · alert " + alert.alertId());
        ArrayNode actions = card.putArray("actions");
        addActions(actions, alert.links());
        if (actions.isEmpty()) {
            card.remove("actions");
        }
        return card;
    }

    ObjectNode digestCard(String tenantId, List<Item> items) {
        ObjectNode card = newCard();
        ArrayNode body = (ArrayNode) card.get("body");
        String tenant = items.stream().map(i -> i.alert().facts().get("Tenant")).filter(t -> t != null && !t.isBlank())
                .findFirst().orElse(tenantId);
        boolean reminders = items.stream().allMatch(i -> REMINDER_KINDS.contains(i.alert().kind()));
        String noun = reminders ? (items.size() == 1 ? " reminder" : " reminders") : (items.size() == 1 ? " alert" : " alerts");
        body.addObject().put("type", "TextBlock").put("weight", "Bolder").put("size", "Medium").put("wrap", true)
                .put("text", items.size() + noun + " for " + tenant);
        body.addObject().put("type", "TextBlock").put("isSubtle", true).put("wrap", true)
                .put("text", digestSummary(items));
        int shown = 0;
        for (Item item : items) {
            if (shown == MAX_DIGEST_ITEMS) {
                body.addObject().put("type", "TextBlock").put("wrap", true)
                        .put("text", "… and " + (items.size() - shown) + " more: see the register.");
                break;
            }
            AlertRaised alert = item.alert();
            ObjectNode container = body.addObject();
            container.put("type", "Container").put("separator", true);
            ArrayNode items2 = container.putArray("items");
            items2.addObject().put("type", "TextBlock").put("weight", "Bolder").put("wrap", true)
                    .put("text", title(alert.kind()) + ": " + alert.subject());
            items2.add(factSet(alert, false));
            addSuggestedAction(items2, alert);
            if (!alert.links().isEmpty()) {
                ObjectNode actionSet = items2.addObject().put("type", "ActionSet");
                addActions(actionSet.putArray("actions"), alert.links());
                if (actionSet.get("actions").isEmpty()) {
                    items2.remove(items2.size() - 1);
                }
            }
            shown++;
        }
        return card;
    }

    private ObjectNode newCard() {
        ObjectNode card = mapper.createObjectNode();
        card.put("type", "AdaptiveCard");
        card.put("$schema", CARD_SCHEMA);
        card.put("version", CARD_VERSION);
        card.putArray("body");
        card.putObject("msteams").put("width", "Full");
        return card;
    }

    private ObjectNode factSet(AlertRaised alert, boolean withTenantFallback) {
        ObjectNode factSet = mapper.createObjectNode().put("type", "FactSet");
        ArrayNode facts = factSet.putArray("facts");
        Map<String, String> ordered = new LinkedHashMap<>();
        if (withTenantFallback && !containsKey(alert.facts(), "tenant")) {
            ordered.put("Tenant", alert.tenantId());
        }
        alert.facts().forEach((k, v) -> {
            if (k != null && !k.isBlank() && v != null && !v.isBlank() && !AlertRaised.SUGGESTED_ACTION.equals(k)) {
                ordered.put(k, v);
            }
        });
        ordered.forEach((k, v) -> facts.addObject().put("title", k).put("value", v));
        if (facts.isEmpty()) {
            facts.addObject().put("title", "Tenant").put("value", alert.tenantId());
        }
        return factSet;
    }

    /** The alert's suggested action (a fact the register sets), shown below the facts; nothing when it has none. */
    private static void addSuggestedAction(ArrayNode body, AlertRaised alert) {
        String action = suggestedAction(alert);
        if (action != null) {
            body.addObject().put("type", "TextBlock").put("wrap", true).put("weight", "Bolder")
                    .put("text", "Suggested action: " + action);
        }
    }

    static String suggestedAction(AlertRaised alert) {
        String action = alert.facts().get(AlertRaised.SUGGESTED_ACTION);
        return action == null || action.isBlank() ? null : action;
    }

    /** Kinds that are reminders about exceptions (the rest of a digest's kinds are alerts). */
    private static final Set<AlertKind> REMINDER_KINDS = EnumSet.of(AlertKind.EXPIRING, AlertKind.REVIEW_DUE,
            AlertKind.UNUSED_EXCEPTION);

    /** What a digest holds, e.g. "MFA exception expiring: 2 · Unused MFA exception: 1". */
    static String digestSummary(List<Item> items) {
        if (items.stream().allMatch(i -> i.alert().kind() == AlertKind.EXPIRING || i.alert().kind() == AlertKind.REVIEW_DUE)) {
            return "Exceptions expiring soon or due for review.";
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        items.forEach(i -> counts.merge(title(i.alert().kind()), 1, Integer::sum));
        StringBuilder text = new StringBuilder();
        counts.forEach((title, n) -> text.append(text.length() == 0 ? "" : " · ").append(title).append(": ").append(n));
        return text.toString();
    }

    private static boolean containsKey(Map<String, String> facts, String label) {
        return facts.keySet().stream().anyMatch(k -> k != null && k.equalsIgnoreCase(label));
    }

    private void addActions(ArrayNode actions, List<AlertLink> links) {
        for (AlertLink link : links) {
            if (actions.size() == MAX_ACTIONS) {
                break;
            }
            if (isWebUrl(link.url())) {
                actions.addObject().put("type", "Action.OpenUrl").put("title", link.title()).put("url", link.url());
            }
        }
    }

    private static boolean isWebUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null;
        } catch (Exception e) {
            return false;
        }
    }

    /** The title of an alert of a kind this notifier does not know (a newer register's). */
    static final String GENERIC_TITLE = "MFA governance alert";

    /** The card title and the webhook's {@code title}: what a person reads first. */
    static String title(AlertKind kind) {
        return switch (kind) {
            case UNAPPROVED_EXCLUSION -> "Unapproved MFA exclusion";
            case EXPIRING -> "MFA exception expiring";
            case EXPIRED -> "MFA exception expired";
            case EXCLUSION_REMOVED -> "MFA exclusion removed";
            case SCAN_FAILED -> "Tenant scan failed";
            case REVIEW_DUE -> "MFA exception review due";
            case ORPHANED_EXCEPTION -> "Orphaned MFA exception";
            case NO_MFA_ENFORCEMENT -> "No MFA enforced in the tenant";
            case UNCOVERED_PRIVILEGED_USER -> "Privileged user without MFA";
            case UNUSED_EXCEPTION -> "Unused MFA exception";
            case SINGLE_FACTOR_SIGNINS -> "Single-factor sign-ins";
            case NOT_REGISTERED_PRIVILEGED -> "Privileged user cannot do MFA";
            case REMEDIATION_PLANNED -> "MFA exclusion removal awaits approval";
            case REMEDIATION_APPLIED -> "MFA exclusion removed from the tenant";
            case REMEDIATION_FAILED -> "MFA exclusion removal failed";
            case REMEDIATION_CONFLICT -> "Policy changed during an MFA exclusion removal";
            case ACCESS_PROBLEM -> "Tenant access problem: consent, permissions or credentials";
            case TENANT_DISCOVERED -> "New customer tenant discovered";
            case RELATIONSHIP_EXPIRING -> "Partner relationship expiring";
            case RELATIONSHIP_ENDED -> "Partner relationship ended";
            // A kind added by a newer register is read as UNKNOWN (the contract's default): a generic title, the
            // alert's own subject and facts still say what it is.
            case UNKNOWN -> GENERIC_TITLE;
        };
    }

    private static String color(AlertRaised alert) {
        return switch (alert.severity()) {
            case HIGH, CRITICAL -> "Attention";
            case MEDIUM -> "Warning";
            default -> "Default";
        };
    }

    // --- Webhook ------------------------------------------------------------------------------------

    private OutgoingMessage webhook(String secret, Item item) {
        ObjectNode body = mapper.createObjectNode();
        body.put("type", "mfagov.alert");
        body.put("version", 1);
        body.put("deliveryId", item.deliveryId());
        body.put("title", title(item.alert().kind()));
        body.setAll((ObjectNode) mapper.valueToTree(item.alert()));
        String action = suggestedAction(item.alert());
        if (action != null) {
            body.put("suggestedAction", action); // also in facts; top-level so a PSA can map it to a ticket field
        }
        byte[] bytes = bytes(body);
        long timestamp = clock.instant().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(WebhookSigner.EVENT_ID_HEADER, item.deliveryId());
        headers.put(WebhookSigner.TIMESTAMP_HEADER, Long.toString(timestamp));
        if (secret != null) {
            headers.put(WebhookSigner.SIGNATURE_HEADER, WebhookSigner.sign(secret, timestamp, bytes));
        }
        return new OutgoingMessage(bytes, headers);
    }

    private byte[] bytes(Object node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
