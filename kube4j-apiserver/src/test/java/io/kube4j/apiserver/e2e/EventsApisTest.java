package io.kube4j.apiserver.e2e;

import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** core/v1 and events.k8s.io/v1 Events are two views of one storage. */
class EventsApisTest {

    private static final String CORE = "/api/v1/namespaces/default/events";
    private static final String EVENTS = "/apis/events.k8s.io/v1/namespaces/default/events";

    @RegisterExtension
    static final TestServer server = TestServer.perClass().withBookmarkInterval(Duration.ofMillis(500));
    static KubernetesClient client;
    static Kubectl kubectl;

    @BeforeAll
    static void start() {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(server.url()).withNamespace("default")
                .withRequestRetryBackoffLimit(0).build();
        client = new KubernetesClientBuilder().withConfig(config).build();
        kubectl = new Kubectl(server.kubeconfig(), server.dir());
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode post(String path, String body) {
        HttpResponse<String> created = server.send("POST", path, "application/json", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created);
    }

    private static String newStyleEvent(String name, String podName) {
        return """
                {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"%s"},
                 "eventTime":"2024-05-01T10:00:00.000000Z","reportingController":"example.com/ctl",
                 "reportingInstance":"ctl-1","action":"Scheduling","reason":"Placed","type":"Normal",
                 "note":"placed the pod","regarding":{"kind":"Pod","namespace":"default","name":"%s"}}"""
                .formatted(name, podName);
    }

    private static String coreEvent(String name, String podName) {
        return """
                {"metadata":{"name":"%s"},"involvedObject":{"kind":"Pod","namespace":"default","name":"%s"},
                 "reason":"Pulled","message":"image pulled","type":"Normal","count":2,
                 "source":{"component":"kubelet","host":"node-a"},
                 "firstTimestamp":"2024-05-01T10:00:00Z","lastTimestamp":"2024-05-01T10:01:00Z"}"""
                .formatted(name, podName);
    }

    @Test
    void anEventWrittenThroughEventsApiIsReadThroughCore() {
        JsonNode created = post(EVENTS, newStyleEvent("via-events", "p1"));
        assertThat(created.path("apiVersion").asString()).isEqualTo("events.k8s.io/v1");
        assertThat(created.path("note").asString()).isEqualTo("placed the pod");

        JsonNode core = json(server.get(CORE + "/via-events"));
        assertThat(core.path("apiVersion").asString()).isEqualTo("v1");
        assertThat(core.path("involvedObject").path("name").asString()).isEqualTo("p1");
        assertThat(core.path("message").asString()).isEqualTo("placed the pod");
        assertThat(core.path("reportingComponent").asString()).isEqualTo("example.com/ctl");
        assertThat(core.path("reportingInstance").asString()).isEqualTo("ctl-1");
        assertThat(core.path("action").asString()).isEqualTo("Scheduling");
        assertThat(core.has("regarding")).isFalse();
        assertThat(core.path("metadata").path("uid").asString()).isEqualTo(created.path("metadata").path("uid").asString());
        assertThat(core.path("metadata").path("resourceVersion").asString())
                .isEqualTo(created.path("metadata").path("resourceVersion").asString());

        long lease = server.store().get("/registry/events/default/via-events").orElseThrow().lease();
        assertThat(lease).isNotZero();
        assertThat(server.store().get("/registry/events.k8s.io/events/default/via-events")).isEmpty();
    }

    @Test
    void anEventWrittenThroughCoreIsReadThroughEventsApi() {
        post(CORE, coreEvent("via-core", "p2"));

        JsonNode event = json(server.get(EVENTS + "/via-core"));
        assertThat(event.path("apiVersion").asString()).isEqualTo("events.k8s.io/v1");
        assertThat(event.path("regarding").path("name").asString()).isEqualTo("p2");
        assertThat(event.path("note").asString()).isEqualTo("image pulled");
        assertThat(event.path("deprecatedSource").path("component").asString()).isEqualTo("kubelet");
        assertThat(event.path("deprecatedSource").path("host").asString()).isEqualTo("node-a");
        assertThat(event.path("deprecatedCount").asInt()).isEqualTo(2);
        assertThat(event.path("deprecatedFirstTimestamp").asString()).isEqualTo("2024-05-01T10:00:00Z");
        assertThat(event.path("deprecatedLastTimestamp").asString()).isEqualTo("2024-05-01T10:01:00Z");
        assertThat(event.has("involvedObject")).isFalse();

        JsonNode list = json(server.get(EVENTS));
        assertThat(list.path("kind").asString()).isEqualTo("EventList");
        assertThat(list.path("items").findValuesAsString("note")).contains("image pulled");
        JsonNode cachedList = json(server.get(EVENTS + "?resourceVersion=0"));
        assertThat(cachedList.path("items").findValuesAsString("note")).contains("image pulled");
        assertThat(cachedList.path("items").findValues("involvedObject")).isEmpty();
    }

    @Test
    void eachApiSelectsOnItsOwnFieldNames() {
        post(CORE, coreEvent("sel-core", "sel-pod"));
        post(EVENTS, newStyleEvent("sel-events", "sel-pod"));

        JsonNode viaEvents = json(server.get(EVENTS + "?fieldSelector=regarding.name%3Dsel-pod"));
        assertThat(viaEvents.path("items").findValuesAsString("name")).contains("sel-core", "sel-events");
        JsonNode byController = json(server.get(EVENTS + "?fieldSelector=reportingController%3Dexample.com/ctl,"
                + "regarding.name%3Dsel-pod"));
        assertThat(names(byController)).containsExactly("sel-events");

        JsonNode viaCore = json(server.get(CORE + "?fieldSelector=involvedObject.name%3Dsel-pod,reason%3DPlaced"));
        assertThat(names(viaCore)).containsExactly("sel-events");
        // upstream's core "source" label falls back to the reporting controller
        JsonNode bySource = json(server.get(CORE + "?fieldSelector=source%3Dexample.com/ctl,involvedObject.name%3Dsel-pod"));
        assertThat(names(bySource)).containsExactly("sel-events");

        assertThat(server.get(EVENTS + "?fieldSelector=involvedObject.name%3Dsel-pod").statusCode()).isEqualTo(400);
        assertThat(server.get(CORE + "?fieldSelector=regarding.name%3Dsel-pod").statusCode()).isEqualTo(400);
    }

    private static java.util.List<String> names(JsonNode list) {
        java.util.List<String> names = new java.util.ArrayList<>();
        list.path("items").forEach(i -> names.add(i.path("metadata").path("name").asString()));
        return names;
    }

    @Test
    void anUpdateThroughOneApiIsSeenThroughTheOther() {
        JsonNode created = post(EVENTS, newStyleEvent("series", "p3"));
        HttpResponse<String> patched = server.send("PATCH", CORE + "/series", "application/merge-patch+json",
                "{\"series\":{\"count\":4,\"lastObservedTime\":\"2024-05-01T10:05:00.000000Z\"}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);

        JsonNode event = json(server.get(EVENTS + "/series"));
        assertThat(event.path("series").path("count").asInt()).isEqualTo(4);
        assertThat(event.path("note").asString()).isEqualTo("placed the pod");
        assertThat(Long.parseLong(event.path("metadata").path("resourceVersion").asString()))
                .isGreaterThan(Long.parseLong(created.path("metadata").path("resourceVersion").asString()));

        // an update through events.k8s.io with the resourceVersion read through core
        JsonNode core = json(server.get(CORE + "/series"));
        String body = event.toString().replace("\"count\":4", "\"count\":5").replace(
                "\"resourceVersion\":\"" + event.path("metadata").path("resourceVersion").asString() + "\"",
                "\"resourceVersion\":\"" + core.path("metadata").path("resourceVersion").asString() + "\"");
        HttpResponse<String> put = server.send("PUT", EVENTS + "/series", "application/json", body);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(json(server.get(CORE + "/series")).path("series").path("count").asInt()).isEqualTo(5);

        HttpResponse<String> deleted = server.send("DELETE", EVENTS + "/series", null, null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(server.get(CORE + "/series").statusCode()).isEqualTo(404);
    }

    @Test
    void watchesOfEitherApiSeeWritesThroughTheOther() throws Exception {
        String rv = json(server.get(CORE)).path("metadata").path("resourceVersion").asString();
        BlockingQueue<String> eventsApiLines = watch(EVENTS + "?watch=1&timeoutSeconds=30&resourceVersion=" + rv);
        BlockingQueue<String> coreLines = watch(CORE + "?watch=1&timeoutSeconds=30&resourceVersion=" + rv);

        post(CORE, coreEvent("watched-core", "p4"));
        post(EVENTS, newStyleEvent("watched-events", "p4"));

        JsonNode first = nextEvent(eventsApiLines);
        assertThat(first.path("type").asString()).isEqualTo("ADDED");
        assertThat(first.path("object").path("apiVersion").asString()).isEqualTo("events.k8s.io/v1");
        assertThat(first.path("object").path("metadata").path("name").asString()).isEqualTo("watched-core");
        assertThat(first.path("object").path("note").asString()).isEqualTo("image pulled");
        assertThat(nextEvent(eventsApiLines).path("object").path("regarding").path("name").asString()).isEqualTo("p4");

        nextEvent(coreLines);
        JsonNode second = nextEvent(coreLines);
        assertThat(second.path("object").path("apiVersion").asString()).isEqualTo("v1");
        assertThat(second.path("object").path("metadata").path("name").asString()).isEqualTo("watched-events");
        assertThat(second.path("object").path("message").asString()).isEqualTo("placed the pod");
        assertThat(second.path("object").has("note")).isFalse();
    }

    private static JsonNode nextEvent(BlockingQueue<String> lines) throws InterruptedException {
        while (true) {
            String line = lines.poll(20, TimeUnit.SECONDS);
            assertThat(line).as("a watch event").isNotNull();
            JsonNode event = Json.parse(line.getBytes(StandardCharsets.UTF_8));
            if (!event.path("type").asString().equals("BOOKMARK")) {
                return event;
            }
        }
    }

    private static BlockingQueue<String> watch(String path) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> {
            Thread reader = new Thread(() -> {
                try (Stream<String> body = response.body()) {
                    body.filter(l -> !l.isBlank()).forEach(lines::add);
                } catch (RuntimeException ignored) {
                    // the server ended the watch
                }
            });
            reader.setDaemon(true);
            reader.start();
        });
        return lines;
    }

    @Test
    void eachApiValidatesWithItsOwnRules() {
        // events.k8s.io requires eventTime, reportingController, ...; core accepts an old-style event
        HttpResponse<String> strict = server.send("POST", EVENTS, "application/json",
                "{\"metadata\":{\"name\":\"bad\"},\"regarding\":{\"kind\":\"Pod\",\"namespace\":\"default\","
                        + "\"name\":\"p\"},\"reason\":\"R\",\"type\":\"Normal\"}");
        assertThat(strict.statusCode()).as(strict.body()).isEqualTo(422);
        assertThat(strict.body()).contains("eventTime", "reportingController");
        assertThat(server.store().get("/registry/events/default/bad")).isEmpty();

        HttpResponse<String> wrongNamespace = server.send("POST", "/apis/events.k8s.io/v1/namespaces/kube-public/events",
                "application/json", newStyleEvent("ns-mismatch", "p").replace(",\"namespace\":\"default\"", ""));
        assertThat(wrongNamespace.statusCode()).as(wrongNamespace.body()).isEqualTo(422);
        assertThat(wrongNamespace.body()).contains("involvedObject.namespace");

        post(CORE, coreEvent("old-style", "p5"));
    }

    @Test
    void fabric8ClientsOfBothApisShareEvents() {
        var written = client.events().v1().events().inNamespace("default").resource(new EventBuilder()
                .withNewMetadata().withName("fabric8-ev").endMetadata()
                .withEventTime(new MicroTime("2024-05-01T10:00:00.000000Z"))
                .withReportingController("example.com/fabric8").withReportingInstance("i-1")
                .withAction("Testing").withReason("Written").withType("Warning").withNote("from fabric8")
                .withRegarding(new ObjectReferenceBuilder().withKind("Pod").withNamespace("default").withName("p6")
                        .build())
                .build()).create();
        assertThat(written.getNote()).isEqualTo("from fabric8");

        var core = client.v1().events().inNamespace("default").withName("fabric8-ev").get();
        assertThat(core.getMessage()).isEqualTo("from fabric8");
        assertThat(core.getInvolvedObject().getName()).isEqualTo("p6");
        assertThat(core.getReportingComponent()).isEqualTo("example.com/fabric8");
        assertThat(core.getType()).isEqualTo("Warning");

        client.v1().events().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.EventBuilder()
                .withNewMetadata().withName("fabric8-core").endMetadata().withReason("Old").withMessage("core write")
                .withInvolvedObject(new ObjectReferenceBuilder().withKind("Pod").withNamespace("default")
                        .withName("p6").build())
                .build()).create();
        var list = client.events().v1().events().inNamespace("default")
                .withField("regarding.name", "p6").list().getItems();
        assertThat(list).extracting(e -> e.getMetadata().getName()).containsExactlyInAnyOrder("fabric8-ev",
                "fabric8-core");
        assertThat(list).filteredOn(e -> e.getMetadata().getName().equals("fabric8-core"))
                .extracting(e -> e.getNote()).containsExactly("core write");
    }

    @Test
    void kubectlShowsEventsWrittenThroughEventsApi() {
        JsonNode pod = post("/api/v1/namespaces/default/pods", "{\"metadata\":{\"name\":\"web\"},\"spec\":"
                + "{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}");
        String uid = pod.path("metadata").path("uid").asString();
        post(EVENTS, newStyleEvent("web-placed", "web").replace("\"name\":\"web\"}",
                "\"name\":\"web\",\"uid\":\"" + uid + "\",\"apiVersion\":\"v1\"}").replace("placed the pod",
                "placed web on node-x"));

        Kubectl.Result get = kubectl.run("get", "events", "-n", "default");
        assertThat(get.exit()).as(get.all()).isZero();
        assertThat(get.out()).contains("Placed", "pod/web", "placed web on node-x");

        Kubectl.Result events = kubectl.run("events", "-n", "default", "--for", "pod/web");
        assertThat(events.exit()).as(events.all()).isZero();
        assertThat(events.out()).contains("Placed", "placed web on node-x");

        Kubectl.Result describe = kubectl.run("describe", "pod", "web", "-n", "default");
        assertThat(describe.exit()).as(describe.all()).isZero();
        assertThat(describe.out()).contains("Events:", "Placed", "example.com/ctl", "placed web on node-x");

        Kubectl.Result viaGroup = kubectl.run("get", "events.events.k8s.io", "-n", "default", "-o", "json");
        assertThat(viaGroup.exit()).as(viaGroup.all()).isZero();
        assertThat(viaGroup.out()).contains("\"note\": \"placed web on node-x\"");
    }

    @Test
    void fieldOwnershipFollowsTheFieldsAcrossApis() {
        HttpResponse<String> applied = server.send("PATCH", EVENTS + "/applied?fieldManager=recorder",
                "application/apply-patch+yaml", newStyleEvent("applied", "p7"));
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(201);
        JsonNode fields = json(applied).path("metadata").path("managedFields").get(0).path("fieldsV1");
        assertThat(fields.has("f:note")).isTrue();

        JsonNode core = json(server.get(CORE + "/applied"));
        JsonNode entry = core.path("metadata").path("managedFields").get(0);
        assertThat(entry.path("manager").asString()).isEqualTo("recorder");
        assertThat(entry.path("fieldsV1").has("f:message")).isTrue();
        assertThat(entry.path("fieldsV1").has("f:involvedObject")).isTrue();
        assertThat(entry.path("fieldsV1").has("f:note")).isFalse();

        // a second apply of the same configuration changes nothing; another manager's change of the note conflicts
        HttpResponse<String> again = server.send("PATCH", EVENTS + "/applied?fieldManager=recorder",
                "application/apply-patch+yaml", newStyleEvent("applied", "p7"));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(json(again).path("metadata").path("resourceVersion").asString())
                .isEqualTo(json(applied).path("metadata").path("resourceVersion").asString());
        HttpResponse<String> conflict = server.send("PATCH", CORE + "/applied?fieldManager=other",
                "application/apply-patch+yaml", "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":"
                        + "{\"name\":\"applied\"},\"message\":\"changed\"}");
        assertThat(conflict.statusCode()).as(conflict.body()).isEqualTo(409);
        assertThat(conflict.body()).contains(".message");
    }

    @Test
    void aFabric8WatchOfEventsApiSeesCoreWrites() throws Exception {
        BlockingQueue<io.fabric8.kubernetes.api.model.events.v1.Event> seen = new LinkedBlockingQueue<>();
        try (var watch = client.events().v1().events().inNamespace("default").withField("regarding.name", "p8")
                .watch(new io.fabric8.kubernetes.client.Watcher<>() {
                    @Override
                    public void eventReceived(Action action, io.fabric8.kubernetes.api.model.events.v1.Event event) {
                        seen.add(event);
                    }

                    @Override
                    public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
                    }
                })) {
            client.v1().events().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.EventBuilder()
                    .withNewMetadata().withName("watched-by-fabric8").endMetadata().withReason("Seen")
                    .withMessage("written through core").withInvolvedObject(new ObjectReferenceBuilder()
                            .withKind("Pod").withNamespace("default").withName("p8").build())
                    .build()).create();
            var event = seen.poll(20, TimeUnit.SECONDS);
            assertThat(event).isNotNull();
            assertThat(event.getNote()).isEqualTo("written through core");
            assertThat(event.getRegarding().getName()).isEqualTo("p8");
        }
    }
}
