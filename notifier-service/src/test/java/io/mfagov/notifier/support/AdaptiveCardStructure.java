package io.mfagov.notifier.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a Teams Workflows message against the documented structure of Adaptive Cards 1.4: no JSON Schema
 * of the card format ships in any package reachable here (npm {@code adaptivecards} 3.0.6,
 * {@code adaptivecards-designer} 2.4.4 and {@code @microsoft/adaptivecards-tools} 1.3.11 carry none; the
 * schema is only published at adaptivecards.io), so the rules of the 1.4 schema that apply to what we
 * send are written out here. Returns the violations (empty = valid).
 */
public final class AdaptiveCardStructure {

    /** Element types of Adaptive Cards up to 1.4 and the properties each allows. */
    private static final Map<String, Set<String>> ELEMENTS = Map.of(
            "TextBlock", Set.of("type", "text", "color", "fontType", "horizontalAlignment", "isSubtle", "maxLines",
                    "size", "weight", "wrap", "id", "isVisible", "separator", "spacing", "height", "style"),
            "FactSet", Set.of("type", "facts", "id", "isVisible", "separator", "spacing", "height"),
            "Container", Set.of("type", "items", "selectAction", "style", "verticalContentAlignment", "bleed",
                    "backgroundImage", "minHeight", "id", "isVisible", "separator", "spacing", "height"),
            "ActionSet", Set.of("type", "actions", "id", "isVisible", "separator", "spacing", "height"),
            "ColumnSet", Set.of("type", "columns", "selectAction", "style", "bleed", "minHeight", "horizontalAlignment",
                    "id", "isVisible", "separator", "spacing", "height"),
            "Image", Set.of("type", "url", "altText", "backgroundColor", "height", "horizontalAlignment", "selectAction",
                    "size", "style", "width", "id", "isVisible", "separator", "spacing"));
    private static final Set<String> CARD_PROPERTIES = Set.of("type", "version", "$schema", "body", "actions",
            "selectAction", "fallbackText", "backgroundImage", "minHeight", "speak", "lang", "verticalContentAlignment",
            "msteams", "refresh", "authentication", "rtl");
    private static final Set<String> COLORS = Set.of("Default", "Dark", "Light", "Accent", "Good", "Warning", "Attention");
    private static final Set<String> SIZES = Set.of("Default", "Small", "Medium", "Large", "ExtraLarge");
    private static final Set<String> WEIGHTS = Set.of("Default", "Lighter", "Bolder");

    private AdaptiveCardStructure() {
    }

    /** The whole Workflows message: envelope, then the card. */
    public static List<String> violationsOfMessage(JsonNode message) {
        List<String> errors = new ArrayList<>();
        if (!"message".equals(message.path("type").asText())) {
            errors.add("message.type must be 'message'");
        }
        JsonNode attachments = message.path("attachments");
        if (!attachments.isArray() || attachments.size() != 1) {
            errors.add("message.attachments must be an array of one attachment");
            return errors;
        }
        JsonNode attachment = attachments.get(0);
        if (!"application/vnd.microsoft.card.adaptive".equals(attachment.path("contentType").asText())) {
            errors.add("attachments[0].contentType must be application/vnd.microsoft.card.adaptive");
        }
        errors.addAll(violationsOfCard(attachment.path("content")));
        return errors;
    }

    public static List<String> violationsOfCard(JsonNode card) {
        List<String> errors = new ArrayList<>();
        if (!card.isObject()) {
            errors.add("content must be an object");
            return errors;
        }
        require(errors, "AdaptiveCard".equals(card.path("type").asText()), "card.type must be AdaptiveCard");
        require(errors, "1.4".equals(card.path("version").asText()), "card.version must be 1.4");
        require(errors, "http://adaptivecards.io/schemas/adaptive-card.json".equals(card.path("$schema").asText()),
                "card.$schema must be http://adaptivecards.io/schemas/adaptive-card.json");
        unknownProperties(errors, "card", card, CARD_PROPERTIES);
        JsonNode body = card.path("body");
        require(errors, body.isArray() && !body.isEmpty(), "card.body must be a non-empty array");
        elements(errors, "body", body);
        if (card.has("actions")) {
            actions(errors, "actions", card.get("actions"));
        }
        return errors;
    }

    private static void elements(List<String> errors, String path, JsonNode elements) {
        for (int i = 0; i < elements.size(); i++) {
            JsonNode e = elements.get(i);
            String at = path + "[" + i + "]";
            String type = e.path("type").asText();
            Set<String> allowed = ELEMENTS.get(type);
            if (allowed == null) {
                errors.add(at + ": unknown element type '" + type + "'");
                continue;
            }
            unknownProperties(errors, at, e, allowed);
            switch (type) {
                case "TextBlock" -> {
                    require(errors, e.path("text").isTextual() && !e.path("text").asText().isBlank(), at + ".text is required");
                    enumValue(errors, at + ".color", e.get("color"), COLORS);
                    enumValue(errors, at + ".size", e.get("size"), SIZES);
                    enumValue(errors, at + ".weight", e.get("weight"), WEIGHTS);
                    bool(errors, at + ".wrap", e.get("wrap"));
                    bool(errors, at + ".isSubtle", e.get("isSubtle"));
                }
                case "FactSet" -> {
                    JsonNode facts = e.path("facts");
                    require(errors, facts.isArray() && !facts.isEmpty(), at + ".facts must be a non-empty array");
                    for (int f = 0; f < facts.size(); f++) {
                        JsonNode fact = facts.get(f);
                        unknownProperties(errors, at + ".facts[" + f + "]", fact, Set.of("title", "value"));
                        require(errors, fact.path("title").isTextual(), at + ".facts[" + f + "].title must be a string");
                        require(errors, fact.path("value").isTextual(), at + ".facts[" + f + "].value must be a string");
                    }
                }
                case "Container" -> {
                    JsonNode items = e.path("items");
                    require(errors, items.isArray() && !items.isEmpty(), at + ".items must be a non-empty array");
                    elements(errors, at + ".items", items);
                    bool(errors, at + ".separator", e.get("separator"));
                }
                case "ActionSet" -> {
                    require(errors, e.path("actions").isArray() && !e.path("actions").isEmpty(),
                            at + ".actions must be a non-empty array");
                    actions(errors, at + ".actions", e.path("actions"));
                }
                default -> {
                }
            }
        }
    }

    private static void actions(List<String> errors, String path, JsonNode actions) {
        require(errors, actions.isArray(), path + " must be an array");
        for (int i = 0; i < actions.size(); i++) {
            JsonNode a = actions.get(i);
            String at = path + "[" + i + "]";
            require(errors, "Action.OpenUrl".equals(a.path("type").asText()), at + ".type must be Action.OpenUrl");
            unknownProperties(errors, at, a, Set.of("type", "title", "url", "iconUrl", "id", "style", "fallback",
                    "tooltip", "isEnabled"));
            require(errors, a.path("title").isTextual(), at + ".title must be a string");
            try {
                URI uri = new URI(a.path("url").asText());
                require(errors, uri.isAbsolute() && uri.getHost() != null, at + ".url must be an absolute URL");
            } catch (Exception ex) {
                errors.add(at + ".url must be a URI");
            }
        }
    }

    private static void unknownProperties(List<String> errors, String at, JsonNode node, Set<String> allowed) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                errors.add(at + ": property '" + name + "' is not allowed");
            }
        }
    }

    private static void enumValue(List<String> errors, String at, JsonNode value, Set<String> allowed) {
        if (value != null && !allowed.contains(value.asText())) {
            errors.add(at + " must be one of " + allowed);
        }
    }

    private static void bool(List<String> errors, String at, JsonNode value) {
        if (value != null && !value.isBoolean()) {
            errors.add(at + " must be a boolean");
        }
    }

    private static void require(List<String> errors, boolean ok, String message) {
        if (!ok) {
            errors.add(message);
        }
    }
}
