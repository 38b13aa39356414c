package io.mfagov.register;

import io.mfagov.devstack.testing.KafkaTestResource;
import io.mfagov.devstack.testing.PostgresTestResource;
import io.mfagov.devstack.testing.TestTokens;
import io.mfagov.model.EventCodec;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.EventPayload;
import io.mfagov.model.Topics;
import io.mfagov.model.events.AccessStatus;
import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.AlertRaised;
import io.mfagov.model.events.CustomerDiscovered;
import io.mfagov.model.events.DelegatedRelationship;
import io.mfagov.model.events.DiscoveryCompleted;
import io.mfagov.model.events.DiscoveryRequested;
import io.mfagov.model.events.NameSource;
import io.mfagov.model.events.ScanStatus;
import io.mfagov.register.service.Discoveries;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.mfagov.register.RegisterTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Discovery of the partner tenant's customers (issue 16), the register's side, over real Kafka and PostgreSQL: the
 * scanner's answers (sent here as the scanner would, on mfagov.scan-results keyed by the partner) register unknown
 * customers disabled, keep names in step with the tenant's own organization, sum the GDAP relationships up and raise
 * TENANT_DISCOVERED, RELATIONSHIP_ENDED and RELATIONSHIP_EXPIRING once each; a customer missing from a COMPLETE
 * discovery is ended, not after a PARTIAL one; POST /api/v1/discovery asks the scanner through the outbox.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(TestTokens.class)
class DiscoveryTest {

    /** The partner tenant of application.properties' %test profile. */
    static final String CONFIGURED_PARTNER = "7a1e2f30-0000-4000-8000-00000000c0de";

    @Inject
    Discoveries discoveries;

    static DelegatedRelationship relationship(String status, Instant endsAt, String autoExtend) {
        return new DelegatedRelationship("rel-" + UUID.randomUUID(), "Contoso GDAP", status,
                Instant.now().minus(400, ChronoUnit.DAYS), Instant.now().minus(399, ChronoUnit.DAYS), endsAt, autoExtend,
                List.of("62e90394-69f5-4237-9190-012177145e10"));
    }

    static CustomerDiscovered customer(UUID discovery, UUID request, String partner, String customer, String name,
            NameSource source, Instant observedAt, DelegatedRelationship... relationships) {
        return new CustomerDiscovered(discovery, request, partner, customer, name, source, "contoso.onmicrosoft.com",
                "SyndicationPartner", List.of(relationships), AccessStatus.OK, null, List.of(), observedAt);
    }

    static DiscoveryCompleted completedDiscovery(UUID discovery, UUID request, String partner, ScanStatus status,
            Instant startedAt, int customers) {
        return new DiscoveryCompleted(discovery, request, partner, status, startedAt, Instant.now(), customers, 4,
                status == ScanStatus.COMPLETE ? null : "GET /contracts failed: 503", List.of(), AccessStatus.OK, List.of());
    }

    static JsonPath tenantWhen(String tenant, java.util.function.Predicate<JsonPath> until) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var response = reader().get("/api/v1/tenants/" + tenant);
            return response.statusCode() == 200 && until.test(response.jsonPath());
        });
        return reader().get("/api/v1/tenants/" + tenant).then().statusCode(200).extract().jsonPath();
    }

    static JsonPath runWhen(UUID id, java.util.function.Predicate<JsonPath> until) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var response = reader().get("/api/v1/discovery/runs/" + id);
            return response.statusCode() == 200 && until.test(response.jsonPath());
        });
        return reader().get("/api/v1/discovery/runs/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static List<AlertRaised> ofKind(List<AlertRaised> alerts, AlertKind kind) {
        return alerts.stream().filter(a -> a.kind() == kind).toList();
    }

    @Test
    void anUnknownCustomerIsRegisteredDisabledWithItsRelationshipAndAnnouncedOnce() {
        String partner = newTenant();
        String customer = newTenant();
        UUID discovery = UUID.randomUUID();
        EventEnvelope<CustomerDiscovered> found = send(customer(discovery, null, partner, customer, "Contoso Ltd",
                NameSource.ORGANIZATION, Instant.now(), relationship("active", Instant.now().plus(300, ChronoUnit.DAYS), "P180D")));

        JsonPath t = tenantWhen(customer, j -> true);
        assertThat(t.getBoolean("enabled")).isFalse();
        assertThat(t.getBoolean("discovered")).isTrue();
        assertThat(t.getString("displayName")).isEqualTo("Contoso Ltd");
        assertThat(t.getString("relationship.status")).isEqualTo("ACTIVE");
        assertThat(t.getBoolean("relationship.autoExtends")).isTrue();
        assertThat(t.getString("relationship.source")).isEqualTo("ORGANIZATION");
        assertThat(t.getString("relationship.defaultDomain")).isEqualTo("contoso.onmicrosoft.com");
        assertThat(t.getString("relationship.contractType")).isEqualTo("SyndicationPartner");
        assertThat(t.getString("relationship.partnerTenantId")).isEqualTo(partner);
        assertThat(t.getList("relationship.relationships.status")).containsExactly("active");
        assertThat(t.getString("access.status")).isEqualTo("OK"); // the discovery's own check, until a scan checks

        send(found); // a redelivery changes nothing
        runWhen(discovery, r -> r.getInt("customers") == 1 && r.getInt("newTenants") == 1);
        List<AlertRaised> alerts = alertsSoFar(customer);
        assertThat(ofKind(alerts, AlertKind.TENANT_DISCOVERED)).singleElement().satisfies(a -> {
            assertThat(a.subject()).contains("Contoso Ltd").contains("registered disabled");
            assertThat(a.facts()).containsEntry("Partner tenant", partner).containsKey(AlertRaised.SUGGESTED_ACTION);
        });
        assertThat(reader().get("/api/v1/tenants?discovered=true").jsonPath().getList("tenantId")).contains(customer);
        assertThat(reader().get("/api/v1/audit/events?tenantId=" + customer).jsonPath().getList("action"))
                .contains("TENANT_DISCOVERED");
    }

    @Test
    void aCustomerWithoutConsentShowsItsConsentUrlFromDiscoveryUntilAScanChecksIt() {
        String partner = newTenant();
        String customer = newTenant();
        String consentUrl = "https://login.microsoftonline.com/" + customer + "/v2.0/adminconsent?client_id="
                + "9d5c3a40-1111-4222-8333-444455556666&scope=https://graph.microsoft.com/.default";
        send(new CustomerDiscovered(UUID.randomUUID(), null, partner, customer, "Litware", NameSource.DELEGATED_ADMIN_CUSTOMER,
                null, null, List.of(relationship("active", Instant.now().plus(300, ChronoUnit.DAYS), "P180D")),
                AccessStatus.NO_CONSENT, consentUrl, List.of(), Instant.now()));

        JsonPath t = tenantWhen(customer, j -> "NO_CONSENT".equals(j.getString("access.status")));
        assertThat(t.getString("access.consentUrl")).isEqualTo(consentUrl);
        assertThat(t.getString("access.action")).contains(consentUrl);
        assertThat(t.getString("relationship.source")).isEqualTo("DELEGATED_ADMIN_CUSTOMER");
        assertThat(reader().get("/api/v1/tenants?accessStatus=NO_CONSENT&discovered=true").jsonPath().getList("tenantId"))
                .contains(customer);

        // A scan's check (newer) replaces the discovery's.
        send(TenantAccessTest.ok(customer));
        tenantWhen(customer, j -> "OK".equals(j.getString("access.status")));

        assertThat(ofKind(alertsSoFar(customer), AlertKind.TENANT_DISCOVERED)).singleElement().satisfies(a -> {
            assertThat(a.links()).first().isEqualTo(new io.mfagov.model.events.AlertLink("Grant admin consent", consentUrl));
            assertThat(a.facts()).containsEntry("Admin-consent URL", consentUrl)
                    .containsEntry("Access", "NO_CONSENT");
        });
    }

    @Test
    void theOrganizationNameIsKeptInStepAndAContractCopyNeverOverwritesIt() {
        String partner = newTenant();
        String customer = newTenant();
        send(customer(UUID.randomUUID(), null, partner, customer, "Fabrikam Ltd", NameSource.ORGANIZATION, Instant.now()));
        tenantWhen(customer, j -> "Fabrikam Ltd".equals(j.getString("displayName")));

        send(customer(UUID.randomUUID(), null, partner, customer, "Fabrikam Group", NameSource.ORGANIZATION, Instant.now()));
        tenantWhen(customer, j -> "Fabrikam Group".equals(j.getString("displayName")));

        UUID contractOnly = UUID.randomUUID();
        send(customer(contractOnly, null, partner, customer, "Fabrikam (2019 contract)", NameSource.CONTRACT, Instant.now()));
        runWhen(contractOnly, r -> r.getInt("customers") == 1);
        JsonPath t = reader().get("/api/v1/tenants/" + customer).jsonPath();
        assertThat(t.getString("displayName")).isEqualTo("Fabrikam Group");
        assertThat(t.getString("relationship.status")).isEqualTo("NONE");
        assertThat(reader().get("/api/v1/audit/events?tenantId=" + customer).jsonPath().getList("action"))
                .containsOnlyOnce("TENANT_RENAMED");
    }

    @Test
    void anEndedRelationshipIsAlertedOnceAndShownOnTheTenant() {
        String partner = newTenant();
        String customer = newTenant();
        DelegatedRelationship terminated = relationship("terminated", Instant.now().minus(2, ChronoUnit.DAYS), null);
        send(customer(UUID.randomUUID(), null, partner, customer, "Tailspin", NameSource.ORGANIZATION, Instant.now(), terminated));
        tenantWhen(customer, j -> "ENDED".equals(j.getString("relationship.status")));

        UUID again = UUID.randomUUID();
        send(customer(again, null, partner, customer, "Tailspin", NameSource.ORGANIZATION, Instant.now(), terminated));
        runWhen(again, r -> r.getInt("customers") == 1);

        List<AlertRaised> ended = ofKind(alertsSoFar(customer), AlertKind.RELATIONSHIP_ENDED);
        assertThat(ended).singleElement().satisfies(a -> {
            assertThat(a.alertId()).isEqualTo("RELATIONSHIP_ENDED:" + customer + ":" + terminated.id());
            assertThat(a.facts()).containsEntry("Status", "terminated");
        });
        assertThat(reader().get("/api/v1/tenants?relationshipStatus=ENDED").jsonPath().getList("tenantId")).contains(customer);
    }

    @Test
    void aRelationshipEndingSoonWithoutAutoExtensionIsAlertedOnceAndOneThatExtendsItselfIsNot() {
        String partner = newTenant();
        String expiring = newTenant();
        String extending = newTenant();
        Instant soon = Instant.now().plus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        DelegatedRelationship ends = relationship("active", soon, "PT0S");
        for (int i = 0; i < 2; i++) {
            send(customer(UUID.randomUUID(), null, partner, expiring, "Northwind", NameSource.ORGANIZATION, Instant.now(), ends));
        }
        UUID last = UUID.randomUUID();
        send(customer(last, null, partner, extending, "Adatum", NameSource.ORGANIZATION, Instant.now(),
                relationship("active", soon, "P180D")));
        runWhen(last, r -> r.getInt("customers") == 1);

        JsonPath t = tenantWhen(expiring, j -> "EXPIRING".equals(j.getString("relationship.status")));
        assertThat(t.getBoolean("relationship.autoExtends")).isFalse();
        assertThat(Instant.parse(t.getString("relationship.endsAt"))).isEqualTo(soon);
        assertThat(ofKind(alertsSoFar(expiring), AlertKind.RELATIONSHIP_EXPIRING)).singleElement()
                .satisfies(a -> assertThat(a.subject()).contains("Northwind").contains("does not extend itself"));
        assertThat(tenantWhen(extending, j -> true).getString("relationship.status")).isEqualTo("ACTIVE");
        assertThat(ofKind(alertsSoFar(extending), AlertKind.RELATIONSHIP_EXPIRING)).isEmpty();
    }

    @Test
    void aCustomerMissingFromACompleteDiscoveryIsEndedButNotAfterAPartialOne() {
        String partner = newTenant();
        String staying = newTenant();
        String leaving = newTenant();
        DelegatedRelationship active = relationship("active", Instant.now().plus(300, ChronoUnit.DAYS), "P180D");
        Instant start1 = Instant.now().minusSeconds(60);
        UUID first = UUID.randomUUID();
        send(customer(first, null, partner, staying, "Stays", NameSource.ORGANIZATION, start1.plusSeconds(1), active));
        send(customer(first, null, partner, leaving, "Leaves", NameSource.ORGANIZATION, start1.plusSeconds(2), active));
        send(completedDiscovery(first, null, partner, ScanStatus.COMPLETE, start1, 2));
        runWhen(first, r -> "COMPLETE".equals(r.getString("status")) && r.getInt("customers") == 2);

        UUID partial = UUID.randomUUID();
        Instant start2 = Instant.now().minusSeconds(30);
        send(customer(partial, null, partner, staying, "Stays", NameSource.ORGANIZATION, start2.plusSeconds(1), active));
        send(completedDiscovery(partial, null, partner, ScanStatus.PARTIAL, start2, 1));
        JsonPath partialRun = runWhen(partial, r -> "PARTIAL".equals(r.getString("status")));
        assertThat(partialRun.getInt("ended")).isZero();
        assertThat(partialRun.getString("error")).contains("503");
        assertThat(reader().get("/api/v1/tenants/" + leaving).jsonPath().getString("relationship.status")).isEqualTo("ACTIVE");

        UUID complete = UUID.randomUUID();
        Instant start3 = Instant.now();
        send(customer(complete, null, partner, staying, "Stays", NameSource.ORGANIZATION, start3.plusSeconds(1), active));
        send(completedDiscovery(complete, null, partner, ScanStatus.COMPLETE, start3, 1));
        assertThat(runWhen(complete, r -> "COMPLETE".equals(r.getString("status"))).getInt("ended")).isEqualTo(1);

        assertThat(reader().get("/api/v1/tenants/" + leaving).jsonPath().getString("relationship.status")).isEqualTo("ENDED");
        assertThat(reader().get("/api/v1/tenants/" + staying).jsonPath().getString("relationship.status")).isEqualTo("ACTIVE");
        assertThat(ofKind(alertsSoFar(leaving), AlertKind.RELATIONSHIP_ENDED)).singleElement()
                .satisfies(a -> assertThat(a.alertId()).isEqualTo("RELATIONSHIP_ENDED:" + leaving + ":absent:" + complete));
        assertThat(ofKind(alertsSoFar(staying), AlertKind.RELATIONSHIP_ENDED)).isEmpty();
    }

    @Test
    void aPartnerTenantTheDiscoveryCannotReadIsAlertedOncePerEpisode() {
        String partner = newTenant();
        List<UUID> runs = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            UUID discovery = UUID.randomUUID();
            runs.add(discovery);
            send(new DiscoveryCompleted(discovery, null, partner, ScanStatus.FAILED, Instant.now(), Instant.now(), 0, 0,
                    "the app lacks DelegatedAdminRelationship.Read.All in the partner tenant",
                    List.of("delegatedAdminRelationships"), AccessStatus.MISSING_PERMISSIONS,
                    List.of("DelegatedAdminRelationship.Read.All")));
            runWhen(discovery, r -> "FAILED".equals(r.getString("status")));
        }
        JsonPath run = runWhen(runs.get(1), r -> true);
        assertThat(run.getString("accessStatus")).isEqualTo("MISSING_PERMISSIONS");
        assertThat(run.getList("missingPermissions")).containsExactly("DelegatedAdminRelationship.Read.All");

        // The partner is no tenant of the catalogue: its alerts are read up to a later alert of a tenant with the same
        // key (a FAILED scan of the partner id: SCAN_FAILED after everything raised before on that key).
        List<AlertRaised> alerts = alertsSoFar(partner);
        assertThat(ofKind(alerts, AlertKind.ACCESS_PROBLEM)).singleElement().satisfies(a -> {
            assertThat(a.alertId()).isEqualTo("ACCESS_PROBLEM:" + partner + ":MISSING_PERMISSIONS:discovery:" + runs.get(0));
            assertThat(a.facts()).containsEntry("Permissions to grant", "DelegatedAdminRelationship.Read.All");
        });
    }

    @Test
    void anAdminsDiscoveryIsPublishedThroughTheOutboxWithTheCustomersOwnCredentialSets() {
        String gold = newTenant();
        admin().body(Map.of("tenantId", gold, "displayName", "Gold customer", "credentialRef", "gold-certificate"))
                .post("/api/v1/tenants").then().statusCode(201);

        String requestId = admin().post("/api/v1/discovery").then().statusCode(202).extract().jsonPath().getString("requestId");

        List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> records = kafka().readUntil(
                Topics.SCAN_REQUESTS, Duration.ofSeconds(30), rs -> !discoveryRequests(rs, requestId).isEmpty());
        assertThat(records.stream().filter(r -> r.value().contains(requestId)).map(r -> r.key()))
                .containsOnly(CONFIGURED_PARTNER); // keyed by the partner tenant
        List<DiscoveryRequested> requests = discoveryRequests(records, requestId);
        assertThat(requests).singleElement().satisfies(d -> {
            assertThat(d.tenantId()).isEqualTo(CONFIGURED_PARTNER);
            assertThat(d.requestedBy()).isEqualTo(ADMIN);
            assertThat(d.customerCredentialRefs()).containsEntry(gold, "gold-certificate");
        });
        JsonPath run = runWhen(UUID.fromString(requestId), r -> "REQUESTED".equals(r.getString("status")));
        assertThat(run.getString("partnerTenantId")).isEqualTo(CONFIGURED_PARTNER);
        assertThat(reader().get("/api/v1/discovery/runs").jsonPath().getList("requestId")).contains(requestId);

        // The scanner's answer to this request closes its run.
        String customer = newTenant();
        UUID discovery = UUID.randomUUID();
        Instant start = Instant.now();
        send(customer(discovery, UUID.fromString(requestId), CONFIGURED_PARTNER, customer, "Answered", NameSource.ORGANIZATION,
                start.plusSeconds(1)));
        send(completedDiscovery(discovery, UUID.fromString(requestId), CONFIGURED_PARTNER, ScanStatus.COMPLETE, start, 1));
        JsonPath done = runWhen(UUID.fromString(requestId), r -> "COMPLETE".equals(r.getString("status")));
        assertThat(done.getInt("customers")).isEqualTo(1);
        assertThat(done.getInt("newTenants")).isEqualTo(1);
        assertThat(done.getString("discoveryId")).isEqualTo(discovery.toString());
        assertThat(done.getString("completedAt")).isNotNull();
    }

    private static List<DiscoveryRequested> discoveryRequests(List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> rs,
            String requestId) {
        return rs.stream().map(r -> EventCodec.get().decode(r.value())).map(EventEnvelope::payload)
                .filter(p -> p instanceof DiscoveryRequested d && d.requestId().toString().equals(requestId))
                .map(DiscoveryRequested.class::cast).toList();
    }

    @Test
    void onlyAnAdminMayRunADiscoveryAndEveryReaderMaySeeTheRuns() {
        approver().post("/api/v1/discovery").then().statusCode(403)
                .contentType(containsString("application/problem+json"));
        reader().post("/api/v1/discovery").then().statusCode(403);
        reader().get("/api/v1/discovery/runs").then().statusCode(200);
        reader().get("/api/v1/discovery/runs/" + UUID.randomUUID()).then().statusCode(404)
                .contentType(containsString("application/problem+json"));
        reader().get("/api/v1/discovery/runs/not-a-uuid").then().statusCode(400).body("field", is("requestId"));
    }

    @Test
    void theScheduledDiscoveryRunsOncePerIntervalWhateverTheReplicas() {
        Instant later = Instant.now().plus(3, ChronoUnit.DAYS); // past any run of the other tests
        UUID first = discoveries.requestIfDue(later);
        assertThat(first).isNotNull();
        assertThat(discoveries.requestIfDue(later.plus(1, ChronoUnit.HOURS))).isNull();
        JsonPath run = runWhen(first, r -> true);
        assertThat(run.getString("requestedBy")).isEqualTo("scheduler");
    }

    @Test
    void badTenantFiltersAreRefusedNamingTheField() {
        reader().get("/api/v1/tenants?accessStatus=SOMETIMES").then().statusCode(400).body("field", is("accessStatus"));
        reader().get("/api/v1/tenants?discovered=maybe").then().statusCode(400).body("field", is("discovered"));
        reader().get("/api/v1/tenants?relationshipStatus=GONE").then().statusCode(400).body("field", is("relationshipStatus"));
    }
}
