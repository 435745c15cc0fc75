package io.kube4j.api.apply;

import static io.kube4j.api.apply.Json.node;
import static io.kube4j.api.apply.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The field manager's shortcut for updates that only change values of fields their manager owns alone
 * ({@link UnchangedOwnership}) gives exactly what the full bookkeeping gives: checked on examples and on many random
 * update sequences (several managers, updates and applies, subresources, fields added, removed and changed, odd
 * managedFields from clients and in storage), each update made both ways.
 */
class UnchangedOwnershipTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<String> MANAGERS = List.of("alice", "bob", "carol");
    /** Names of list keys: removing them leaves items without identity, which ends a sequence's managedFields. */
    private static final List<String> KEY_FIELDS = List.of("name", "type", "containerPort");

    private final FieldManager shortcuts = new FieldManager(FieldManager.DEFAULT_MAX_UPDATE_MANAGERS,
            VersionConverter.NONE, true);

    private static ObjectNode configMap() {
        return obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','namespace':'n',"
                + "'labels':{'app':'web','gen':'g0'}},'data':{'key':'value-0'}}");
    }

    @Test
    void aClientChangingValuesItOwnsKeepsItsEntryAndMovesItsTime() {
        ObjectNode live = shortcuts.update(null, configMap(), "bench", "", T0);
        ObjectNode next = live.deepCopy();
        ((ObjectNode) next.get("data")).put("key", "value-1");
        ((ObjectNode) next.at("/metadata/labels")).put("gen", "g1");

        assertThat(shortcutTaken(shortcuts, live, next, "bench", "", null, T0.plusSeconds(5))).isTrue();
        ObjectNode out = shortcuts.update(live, next, "bench", "", T0.plusSeconds(5));

        assertThat(out.at("/metadata/managedFields")).isEqualTo(node("[{'manager':'bench','operation':'Update',"
                + "'apiVersion':'v1','time':'2025-03-01T10:00:05Z','fieldsType':'FieldsV1','fieldsV1':{"
                + "'f:data':{'.':{},'f:key':{}},'f:metadata':{'f:labels':{'.':{},'f:app':{},'f:gen':{}}}}}]"));
    }

    @Test
    void aNoOpUpdateByAnotherManagerLeavesEveryEntryAsItWas() {
        ObjectNode live = shortcuts.update(null, configMap(), "bench", "", T0);
        ObjectNode next = live.deepCopy();

        assertThat(shortcutTaken(shortcuts, live, next, "someone", "", null, T0.plusSeconds(5))).isTrue();
        ObjectNode out = shortcuts.update(live, next, "someone", "", T0.plusSeconds(5));

        assertThat(out.at("/metadata/managedFields")).isEqualTo(live.at("/metadata/managedFields"));
    }

    @Test
    void changingAValueAnotherManagerOwnsOrAddingAFieldIsLeftToTheFullBookkeeping() {
        ObjectNode live = shortcuts.update(null, configMap(), "bench", "", T0);
        ObjectNode other = live.deepCopy();
        ((ObjectNode) other.get("data")).put("key", "value-1");
        ObjectNode added = live.deepCopy();
        ((ObjectNode) added.get("data")).put("more", "x");

        assertThat(shortcutTaken(shortcuts, live, other, "editor", "", null, T0)).isFalse();
        assertThat(shortcutTaken(shortcuts, live, added, "bench", "", null, T0)).isFalse();
    }

    @Test
    void randomUpdateSequencesGiveWhatTheFullBookkeepingGives() {
        int[] tally = new int[2];
        for (long seed = 1; seed <= 400; seed++) {
            runSequence(seed, tally);
        }
        // the comparison means something only if both ways are taken often
        assertThat(tally[0]).as("updates the shortcut answered").isGreaterThan(1500);
        assertThat(tally[1]).as("updates left to the full bookkeeping").isGreaterThan(1500);
    }

    @Test
    void setsCompareWithFieldsV1AsWithTheSetsItEncodes() {
        Random random = new Random(20261127L);
        List<PathElement> elements = new ArrayList<>();
        for (String f : List.of("metadata", "spec", "a", "b")) {
            elements.add(new PathElement.Field(f));
        }
        elements.add(new PathElement.Key((ObjectNode) node("{'name':'c1'}")));
        elements.add(new PathElement.Key((ObjectNode) node("{'port':80}")));
        elements.add(new PathElement.Value(F.stringNode("x")));
        elements.add(new PathElement.Index(0));
        // equal to {'port':80} as the sets compare keys, but printed otherwise
        PathElement port80point0 = new PathElement.Key((ObjectNode) node("{'port':80.0}"));
        for (int round = 0; round < 3000; round++) {
            FieldSet a = ManagedFieldsReuseTest.randomSet(random, elements);
            FieldSet b = ManagedFieldsReuseTest.randomSet(random, elements);
            if (random.nextBoolean()) {
                a.insert(new PathElement.Field("spec"), port80point0);
            }
            JsonNode encoded = b.toFieldsV1();
            assertThat(FieldSet.isCanonicalFieldsV1(encoded)).isTrue();
            assertThat(a.intersectsEncoded(encoded)).as(a + " and " + b).isEqualTo(a.intersects(b));
            assertThat(a.isSubsetOfEncoded(encoded)).as(a + " in " + b).isEqualTo(a.difference(b).isEmpty());
        }
    }

    @Test
    void theCanonicalCheckAgreesWithReadingTheSet() {
        for (String fields : List.of("{'f:data':{'.':{},'f:a':{}},'f:metadata':{}}", "{'f:metadata':{},'f:data':{}}",
                "{'f:data':{'f:a':{},'.':{}}}", "{'f:data':{'.':{}}}", "{'i:0':{},'f:z':{}}",
                "{'f:spec':{'f:ports':{'k:{\\'port\\': 80}':{}}}}", "{'f:a':{'x:1':{}}}", "{'f:a':1}", "{}")) {
            JsonNode n = node(fields);
            boolean expected;
            try {
                expected = FieldSet.readFieldsV1(n).canonical();
            } catch (IllegalArgumentException e) {
                expected = false;
            }
            assertThat(FieldSet.isCanonicalFieldsV1(n)).as(fields).isEqualTo(expected);
        }
    }

    @Test
    void everyOddFormOfStoredOrSentManagedFieldsIsJudgedAsTheFullBookkeepingJudgesIt() {
        FieldManager full = new FieldManager(FieldManager.DEFAULT_MAX_UPDATE_MANAGERS, VersionConverter.NONE, false);
        Random r = new Random(7);
        int taken = 0;
        for (int kind = 0; kind < ALTERATIONS; kind++) {
            for (int round = 0; round < 20; round++) {
                // two owners: alice created the object, bob changed data.b; the server counts generations
                ObjectNode created = initial(Kind.CONFIG_MAP);
                ((ObjectNode) created.get("metadata")).put("generation", 1);
                ObjectNode live = full.update(null, created, "alice", "", T0);
                ObjectNode byBob = live.deepCopy();
                ((ObjectNode) byBob.get("data")).put("b", "bob");
                live = full.update(live, byBob, "bob", "", T0.plusSeconds(1));
                boolean inStorage = round % 2 == 0;
                ObjectNode next = live.deepCopy();
                if (inStorage) {
                    alter((ArrayNode) live.at("/metadata/managedFields"), r, kind);
                    next = live.deepCopy();
                } else {
                    alter((ArrayNode) next.at("/metadata/managedFields"), r, kind);
                }
                String manager = pick(r, List.of("alice", "bob"));
                switch (round % 5) {
                    case 0 -> ((ObjectNode) next.get("data")).put("a", "changed"); // alice's field
                    case 1 -> ((ObjectNode) next.get("data")).put("b", "changed"); // bob's field
                    case 2 -> ((ObjectNode) next.get("metadata")).put("generation", 5); // the server's field
                    case 3 -> ((ObjectNode) next.at("/metadata/annotations")).put("note", "changed");
                    default -> { } // no change at all
                }
                Instant now = T0.plusSeconds(2 + round);
                taken += shortcutTaken(shortcuts, live, next, manager, "", null, now) ? 1 : 0;
                updateBothWays(shortcuts, full, live, next, manager, "", null, now,
                        "alteration " + kind + " round " + round + ": " + live + " -> " + next);
            }
        }
        assertThat(taken).isGreaterThan(50);
    }

    @Test
    void ownersOfAnotherVersionSeeTheChangeInTheirOwnVersion() {
        FieldManager fast = new FieldManager(FieldManager.DEFAULT_MAX_UPDATE_MANAGERS, WIDGET_VERSIONS, true);
        FieldManager full = new FieldManager(FieldManager.DEFAULT_MAX_UPDATE_MANAGERS, WIDGET_VERSIONS, false);
        ObjectNode live = full.update(null, initial(Kind.WIDGET), "alice", "", T0);
        // bob writes the v2 form, in which alice's spec.size is spec.sizeV2, and so owns the latter
        ObjectNode inV2 = WIDGET_VERSIONS.convert(live, "example.com/v2");
        live = updateBothWays(fast, full, live, inV2, "bob", "", null, T0.plusSeconds(1), "bob in v2");
        ObjectNode next = live.deepCopy();
        ((ObjectNode) next.get("spec")).put("sizeV2", 4);

        assertThat(shortcutTaken(fast, live, next, "bob", "", null, T0.plusSeconds(2))).isFalse();
        ObjectNode out = updateBothWays(fast, full, live, next, "bob", "", null, T0.plusSeconds(2), "bob again");
        // alice's spec.size is the field bob changed
        assertThat(Json.fieldsOf(out, "alice").at("/f:spec/f:size").isMissingNode()).isTrue();
    }

    @Test
    void ownersOfAVersionTheConverterNeverConvertsToAreAnsweredByTheShortcut() {
        FieldManager fast = new FieldManager(FieldManager.DEFAULT_MAX_UPDATE_MANAGERS, V1_AND_V2, true);
        FieldManager full = new FieldManager(FieldManager.DEFAULT_MAX_UPDATE_MANAGERS, V1_AND_V2, false);
        // alice wrote in v3, which is not converted to: she is compared in the request's version, as upstream's
        // Updater does when its converter cannot convert
        ObjectNode inV3 = initial(Kind.WIDGET);
        inV3.put("apiVersion", "example.com/v3");
        ObjectNode live = full.update(null, inV3, "alice", "", T0);
        ObjectNode byBob = live.deepCopy();
        byBob.put("apiVersion", "example.com/v1");
        ((ObjectNode) byBob.get("spec")).put("extra", "bob");
        live = updateBothWays(fast, full, live, byBob, "bob", "", null, T0.plusSeconds(1), "bob in v1");
        ObjectNode next = live.deepCopy();
        ((ObjectNode) next.get("spec")).put("extra", "bob again");

        assertThat(shortcutTaken(fast, live, next, "bob", "", null, T0.plusSeconds(2))).isTrue();
        // a converter that may convert to any version keeps the shortcut to owners of the request's version
        assertThat(shortcutTaken(new FieldManager(FieldManager.DEFAULT_MAX_UPDATE_MANAGERS, WIDGET_VERSIONS, true),
                live, next, "bob", "", null, T0.plusSeconds(2))).isFalse();
        updateBothWays(fast, full, live, next, "bob", "", null, T0.plusSeconds(2), "bob again");
    }

    @Test
    void aConverterOfNoVersionsIsNone() {
        assertThat(VersionConverter.of(Set.of(), WIDGET_VERSIONS)).isSameAs(VersionConverter.NONE);
        assertThat(V1_AND_V2.converts("example.com/v2")).isTrue();
        assertThat(V1_AND_V2.converts("example.com/v3")).isFalse();
        assertThat(V1_AND_V2.convert(initial(Kind.WIDGET), "example.com/v3")).isNull();
        assertThat(V1_AND_V2.convert(initial(Kind.WIDGET), "example.com/v2").at("/spec/sizeV2").asInt()).isEqualTo(3);
    }

    @Test
    void anOwnerWhoseTimeMovesOnIsAnsweredInUpstreamsOrder() {
        ObjectNode live = shortcuts.update(null, initial(Kind.CONFIG_MAP), "alice", "", T0);
        ObjectNode byBob = live.deepCopy();
        ((ObjectNode) byBob.get("data")).put("b", "bob");
        live = shortcuts.update(live, byBob, "bob", "", T0.plusSeconds(1));
        ObjectNode next = live.deepCopy();
        ((ObjectNode) next.get("data")).put("a", "alice again");

        assertThat(shortcutTaken(shortcuts, live, next, "alice", "", null, T0.plusSeconds(2))).isTrue();
        List<ManagedFieldsEntry> entries = shortcuts.updateEntries(live, next, "alice", "",
                ListTypes.forObject(next), null, T0.plusSeconds(2));

        // alice's entry moved behind bob's, as its time is now the later one
        assertThat(entries).extracting(ManagedFieldsEntry::manager).containsExactly("bob", "alice");
        assertThat(entries).isEqualTo(ManagedFields.of(next));
    }

    @Test
    void entriesTakenFromTheLiveObjectAreNotSharedWithTheNewObject() {
        ObjectNode live = shortcuts.update(null, configMap(), "bench", "", T0);
        ObjectNode next = live.deepCopy();
        ((ObjectNode) next.get("metadata")).remove("managedFields"); // the live object's are used
        ((ObjectNode) next.get("data")).put("key", "value-1");
        JsonNode before = live.at("/metadata/managedFields").deepCopy();

        assertThat(shortcutTaken(shortcuts, live, next, "bench", "", null, T0.plusSeconds(1))).isTrue();
        ObjectNode out = shortcuts.update(live, next, "bench", "", T0.plusSeconds(1));
        ((ObjectNode) out.at("/metadata/managedFields/0/fieldsV1")).putObject("f:changed");

        assertThat(live.at("/metadata/managedFields")).isEqualTo(before);
    }

    // ---- the random sequences ----

    private enum Kind { CONFIG_MAP, DEPLOYMENT, WIDGET }

    /** A custom kind served in two versions that name one field differently, as a converter shows owners. */
    private static final VersionConverter WIDGET_VERSIONS = (object, apiVersion) -> {
        if (!apiVersion.startsWith("example.com/")) {
            return null;
        }
        ObjectNode out = object.deepCopy();
        out.put("apiVersion", apiVersion);
        if (out.get("spec") instanceof ObjectNode spec) {
            String from = apiVersion.endsWith("v2") ? "size" : "sizeV2";
            String to = apiVersion.endsWith("v2") ? "sizeV2" : "size";
            JsonNode v = spec.remove(from);
            if (v != null) {
                spec.set(to, v);
            }
        }
        return out;
    };

    /** {@link #WIDGET_VERSIONS} for v1 and v2 only: owners of example.com/v3 are compared in the request's. */
    private static final VersionConverter V1_AND_V2 = VersionConverter.of(
            Set.of("example.com/v1", "example.com/v2"), WIDGET_VERSIONS);

    private static ObjectNode initial(Kind kind) {
        return switch (kind) {
            case CONFIG_MAP -> obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','namespace':'n',"
                    + "'labels':{'app':'web','gen':'g0'},'annotations':{'note':'n0'}},"
                    + "'data':{'a':'1','b':'2','c':'3'}}");
            case DEPLOYMENT -> obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d',"
                    + "'namespace':'n','labels':{'app':'web'},'generation':1},'spec':{'replicas':2,"
                    + "'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},"
                    + "'spec':{'containers':[{'name':'web','image':'nginx:1','env':[{'name':'A','value':'1'},"
                    + "{'name':'B','value':'2'}],'ports':[{'containerPort':80,'protocol':'TCP'}]},"
                    + "{'name':'side','image':'busybox','args':['sleep','1']}]}}},"
                    + "'status':{'replicas':1,'conditions':[{'type':'Available','status':'True'}]}}");
            case WIDGET -> obj("{'apiVersion':'example.com/v1','kind':'Widget','metadata':{'name':'w',"
                    + "'namespace':'n'},'spec':{'size':3,'color':'red','list':[1,2],'nested':{'x':'1','y':'2'}},"
                    + "'status':{'phase':'Ready'}}");
        };
    }

    private void runSequence(long seed, int[] tally) {
        Random r = new Random(seed);
        Kind kind = Kind.values()[r.nextInt(Kind.values().length)];
        int max = r.nextInt(3) == 0 ? 2 + r.nextInt(2) : FieldManager.DEFAULT_MAX_UPDATE_MANAGERS;
        VersionConverter converter = kind != Kind.WIDGET ? VersionConverter.NONE
                : List.of(VersionConverter.NONE, WIDGET_VERSIONS, V1_AND_V2).get(r.nextInt(3));
        FieldManager fast = new FieldManager(max, converter, true);
        FieldManager full = new FieldManager(max, converter, false);
        Instant now = T0;
        ObjectNode live = full.update(null, initial(kind), pick(r, MANAGERS), "", now);
        for (int step = 0; step < 30; step++) {
            now = now.plusSeconds(r.nextInt(3)).plusNanos(r.nextInt(4) == 0 ? r.nextInt(1_000_000_000) : 0);
            if (!live.at("/metadata/managedFields").isArray()) {
                live = full.update(null, initial(kind), pick(r, MANAGERS), "", now); // the last step dropped them
            }
            if (r.nextInt(8) == 0) {
                corrupt(live, r);
            }
            String manager = pick(r, MANAGERS);
            String subresource = r.nextInt(4) == 0 ? "status" : "";
            FieldSet reset = switch (r.nextInt(3)) {
                case 0 -> null;
                case 1 -> new FieldSet().insert(new PathElement.Field(subresource.isEmpty() ? "status" : "spec"));
                default -> new FieldSet().insert(new PathElement.Field("metadata"), new PathElement.Field("labels"));
            };
            if (r.nextInt(8) == 0) {
                live = apply(full, live, manager, subresource, reset, now, r);
                continue;
            }
            ObjectNode next = live.deepCopy();
            int changes = r.nextInt(6) == 0 ? 0 : 1 + r.nextInt(2);
            for (int i = 0; i < changes; i++) {
                mutate(next, r, kind);
            }
            sendManagedFields(next, r);
            String context = "seed " + seed + " step " + step + " by " + manager + "/" + subresource + ": "
                    + live + " -> " + next;
            tally[shortcutTaken(fast, live, next, manager, subresource, reset, now) ? 0 : 1]++;

            live = updateBothWays(fast, full, live, next, manager, subresource, reset, now, context);
        }
    }

    /** The update made with the shortcut and without: both must write and answer the same; the object written. */
    private static ObjectNode updateBothWays(FieldManager fast, FieldManager full, ObjectNode live, ObjectNode next,
                                             String manager, String subresource, FieldSet reset, Instant now,
                                             String context) {
        ListTypes types = ListTypes.forObject(next);
        ObjectNode a = next.deepCopy();
        ObjectNode b = next.deepCopy();
        List<ManagedFieldsEntry> viaShortcut = fast.updateEntries(live, a, manager, subresource, types, reset, now);
        List<ManagedFieldsEntry> viaFull = full.updateEntries(live, b, manager, subresource, types, reset, now);
        // as written, in order (JsonNode equality would not see the order of an object's fields)
        assertThat(a.toString()).as(context).isEqualTo(b.toString());
        assertThat(viaShortcut).as(context).isEqualTo(viaFull);
        return b;
    }

    /** Whether {@code fm}'s shortcut answers this update, asked as {@link FieldManager#updateEntries} asks it. */
    private static boolean shortcutTaken(FieldManager fm, ObjectNode live, ObjectNode next, String manager,
                                         String subresource, FieldSet reset, Instant now) {
        ObjectNode base = live.deepCopy();
        ManagedFields.remove(base);
        ObjectNode newObj = next.deepCopy();
        JsonNode sent = subresource.isEmpty() ? newObj.path("metadata").get("managedFields") : null;
        ManagedFields.remove(newObj);
        ManagerId id = new ManagerId(manager, ManagerId.UPDATE, newObj.path("apiVersion").asString(""),
                subresource);
        return fm.unchangedOwnership(live, base, newObj, sent, id, ListTypes.forObject(newObj), reset, now)
                .entries() != null;
    }

    private static ObjectNode apply(FieldManager fm, ObjectNode live, String manager, String subresource,
                                    FieldSet reset, Instant now, Random r) {
        ObjectNode config = F.objectNode();
        config.set("apiVersion", live.get("apiVersion"));
        config.set("kind", live.get("kind"));
        ObjectNode meta = config.putObject("metadata");
        meta.set("name", live.at("/metadata/name"));
        meta.set("namespace", live.at("/metadata/namespace"));
        for (Map.Entry<String, JsonNode> e : live.properties()) {
            if (!List.of("apiVersion", "kind", "metadata").contains(e.getKey()) && r.nextBoolean()) {
                JsonNode v = e.getValue().deepCopy();
                config.set(e.getKey(), v);
                if (r.nextBoolean()) {
                    mutateValue(config, r);
                }
            }
        }
        try {
            ApplyResult result = fm.apply(live, config, manager, subresource, true, ListTypes.forObject(config),
                    reset, now);
            return result.object() == null ? live : result.object();
        } catch (RuntimeException e) {
            return live; // a live object whose managedFields apply refuses (corrupt ones)
        }
    }

    /** One random change: mostly a new value for an existing field, else a field added, removed or retyped. */
    private static void mutate(ObjectNode object, Random r, Kind kind) {
        int op = r.nextInt(20);
        if (op < 11) {
            mutateValue(object, r);
        } else if (op < 13) {
            ObjectNode meta = (ObjectNode) object.get("metadata");
            if (r.nextBoolean()) {
                meta.put("generation", meta.path("generation").asInt(0) + 1);
            } else {
                meta.put("resourceVersion", String.valueOf(r.nextInt(3)));
            }
        } else if (op == 13 && kind == Kind.WIDGET) {
            // the client reads and writes another version: the same object in that version's field names
            // (v3 has v1's field names, but V1_AND_V2 does not convert to it)
            ObjectNode converted = WIDGET_VERSIONS.convert(object, pick(r, List.of("example.com/v1",
                    "example.com/v2", "example.com/v3")));
            object.removeAll();
            object.setAll(converted);
        } else {
            List<Slot> slots = slots(object);
            if (slots.isEmpty()) {
                object.putObject("extra").put("k", "v"); // everything was removed: start again
                return;
            }
            Slot s = slots.get(r.nextInt(slots.size()));
            JsonNode value = s.get();
            if (op < 16) {
                if (!s.isKey()) {
                    s.remove();
                }
            } else if (op < 18) {
                if (value instanceof ObjectNode o) {
                    o.put("k" + r.nextInt(4), "v" + r.nextInt(3));
                } else if (value instanceof ArrayNode a && !a.isEmpty()) {
                    JsonNode item = a.get(r.nextInt(a.size())).deepCopy();
                    if (item instanceof ObjectNode o && o.has("name")) {
                        o.put("name", "n" + r.nextInt(4));
                    }
                    a.add(item);
                } else {
                    s.parentObjectPut("extra" + r.nextInt(3), "v" + r.nextInt(3));
                }
            } else if (!s.isKey()) {
                s.set(value.isContainer() ? F.stringNode("flat") : r.nextBoolean() ? F.nullNode() : F.objectNode()
                        .put("inner", "v"));
            }
        }
    }

    /** A new value for one scalar (often the same, sometimes an equal number written otherwise). */
    private static void mutateValue(ObjectNode object, Random r) {
        List<Slot> scalars = new ArrayList<>();
        for (Slot s : slots(object)) {
            if (!s.get().isContainer()) {
                scalars.add(s);
            }
        }
        if (scalars.isEmpty()) {
            return;
        }
        Slot s = scalars.get(r.nextInt(scalars.size()));
        JsonNode old = s.get();
        if (old.isIntegralNumber() && r.nextInt(3) == 0) {
            s.set(F.numberNode(old.asDouble()));
        } else if (old.isNumber()) {
            s.set(F.numberNode(r.nextInt(4)));
        } else {
            s.set(F.stringNode("v" + r.nextInt(4)));
        }
    }

    /** One field or list item of an object, where a change can be made (CreatedFieldsTest's too). */
    record Slot(JsonNode parent, String name, int index) {
        JsonNode get() {
            return parent instanceof ObjectNode o ? o.get(name) : parent.get(index);
        }

        void set(JsonNode value) {
            if (parent instanceof ObjectNode o) {
                o.set(name, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }

        void remove() {
            if (parent instanceof ObjectNode o) {
                o.remove(name);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }

        boolean isKey() {
            return name != null && KEY_FIELDS.contains(name);
        }

        void parentObjectPut(String field, String value) {
            if (parent instanceof ObjectNode o) {
                o.put(field, value);
            }
        }
    }

    /** Every field and item but the identity and managedFields of the object. */
    private static List<Slot> slots(ObjectNode object) {
        List<Slot> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            if (e.getKey().equals("metadata")) {
                for (Map.Entry<String, JsonNode> m : e.getValue().properties()) {
                    if (List.of("labels", "annotations").contains(m.getKey())) {
                        out.add(new Slot(e.getValue(), m.getKey(), -1));
                        collect(m.getValue(), out);
                    }
                }
            } else if (!List.of("apiVersion", "kind").contains(e.getKey())) {
                out.add(new Slot(object, e.getKey(), -1));
                collect(e.getValue(), out);
            }
        }
        return out;
    }

    /** Every field and item below {@code node}, as slots. */
    static void collect(JsonNode node, List<Slot> out) {
        if (node instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                out.add(new Slot(o, e.getKey(), -1));
                collect(e.getValue(), out);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                out.add(new Slot(a, null, i));
                collect(a.get(i), out);
            }
        }
    }

    /** The managedFields the request carries: mostly the live object's, else none, a reset or altered ones. */
    private static void sendManagedFields(ObjectNode next, Random r) {
        ObjectNode meta = (ObjectNode) next.get("metadata");
        int choice = r.nextInt(20);
        if (choice < 12) {
            return; // what the client read
        }
        switch (choice) {
            case 12, 13 -> meta.remove("managedFields");
            case 14 -> meta.putNull("managedFields");
            case 15 -> meta.set("managedFields", r.nextBoolean() ? F.arrayNode() : F.arrayNode().add(F.objectNode()));
            default -> {
                if (meta.get("managedFields") instanceof ArrayNode entries && !entries.isEmpty()) {
                    alter(entries, r);
                }
            }
        }
    }

    /** Breaks the live object's managedFields in one of the ways stored objects may carry them. */
    private static void corrupt(ObjectNode live, Random r) {
        if (live.at("/metadata/managedFields") instanceof ArrayNode entries && !entries.isEmpty()) {
            alter(entries, r);
        }
    }

    private static void alter(ArrayNode entries, Random r) {
        alter(entries, r, r.nextInt(ALTERATIONS));
    }

    private static final int ALTERATIONS = 16;

    /**
     * Change {@code kind} (0 to {@link #ALTERATIONS} - 1) to managedFields entries, most of them ones that the full
     * bookkeeping reads otherwise than as they stand.
     */
    private static void alter(ArrayNode entries, Random r, int kind) {
        ObjectNode entry = (ObjectNode) entries.get(r.nextInt(entries.size()));
        JsonNode fields = entry.get("fieldsV1");
        switch (kind) {
            case 0 -> entries.add(entry.deepCopy()); // the same owner twice
            case 1 -> entries.remove(r.nextInt(entries.size()));
            case 2 -> entry.put("time", "2025-03-01T09:00:00.5+01:00");
            case 3 -> entry.put("manager", pick(r, MANAGERS));
            case 4 -> entry.put("operation", r.nextBoolean() ? "Apply" : "Patch");
            case 5 -> entry.remove("fieldsType");
            case 6 -> entry.put("apiVersion", r.nextBoolean() ? "" : "v0");
            case 7 -> entry.set("fieldsV1", F.objectNode()); // an empty set
            case 8 -> entry.put("unknown", "x");
            case 9 -> {
                if (fields instanceof ObjectNode f) {
                    ObjectNode withRoot = F.objectNode();
                    withRoot.putObject(".");
                    withRoot.setAll(f);
                    entry.set("fieldsV1", withRoot); // the root itself a member
                }
            }
            case 10 -> {
                if (fields instanceof ObjectNode f) {
                    entry.set("fieldsV1", reversed(f)); // keys out of upstream's order
                }
            }
            case 11 -> {
                ObjectNode first = (ObjectNode) entries.remove(0);
                entries.add(first); // entries out of upstream's order
            }
            case 12 -> {
                for (int i = 0; i < 11; i++) { // more Update owners than the cap keeps
                    entries.add(obj("{'manager':'m" + i + "','operation':'Update','apiVersion':'v1',"
                            + "'time':'2025-02-01T00:00:0" + (i % 10) + "Z','fieldsType':'FieldsV1',"
                            + "'fieldsV1':{'f:metadata':{'f:annotations':{'f:m" + i + "':{}}}}}"));
                }
            }
            case 13 -> {
                if (fields instanceof ObjectNode f && FieldSet.isCanonicalFieldsV1(f)) {
                    // fields the server owns, which no owner is given but a client may claim
                    entry.set("fieldsV1", FieldSet.fromFieldsV1(f)
                            .insert(new PathElement.Field("metadata"), new PathElement.Field("generation"))
                            .insert(new PathElement.Field("metadata"), new PathElement.Field("resourceVersion"))
                            .toFieldsV1());
                }
            }
            case 14 -> entry.put("fieldsV1", "not an object");
            default -> entry.set("fieldsV1", node("{'f:spec':{'f:list':{}},'f:data':{'f:a':{}}}")); // not canonical
        }
    }

    private static ObjectNode reversed(ObjectNode fields) {
        List<Map.Entry<String, JsonNode>> all = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : fields.properties()) {
            all.add(e);
        }
        ObjectNode out = F.objectNode();
        for (int i = all.size() - 1; i >= 0; i--) {
            JsonNode v = all.get(i).getValue();
            out.set(all.get(i).getKey(), v instanceof ObjectNode o ? reversed(o) : v);
        }
        return out;
    }

    private static <T> T pick(Random r, List<T> from) {
        return from.get(r.nextInt(from.size()));
    }
}
