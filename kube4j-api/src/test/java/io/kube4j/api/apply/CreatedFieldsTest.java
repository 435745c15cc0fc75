package io.kube4j.api.apply;

import static io.kube4j.api.apply.Json.node;
import static io.kube4j.api.apply.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import io.kube4j.api.apply.UnchangedOwnershipTest.Slot;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The field manager's shortcut for a create that starts from no owner ({@link CreatedFields}) writes exactly the
 * managedFields the full bookkeeping writes: checked on examples and on many random objects (built-in kinds with
 * their list types, a custom kind with set, map and atomic lists and objects, random nested values, items without
 * keys or with duplicate keys, equal numbers written otherwise, JSON escapes, unicode names), created with and without
 * reset fields, subresources and managedFields sent.
 */
class CreatedFieldsTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final FieldManager fast = new FieldManager(FieldManager.DEFAULT_MAX_UPDATE_MANAGERS,
            VersionConverter.NONE, true);
    private final FieldManager full = new FieldManager(FieldManager.DEFAULT_MAX_UPDATE_MANAGERS,
            VersionConverter.NONE, false);

    @Test
    void aPodCreateIsWrittenAsUpstreamWritesIt() {
        ObjectNode pod = obj("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','namespace':'n',"
                + "'labels':{'app':'web'}},'spec':{'containers':[{'name':'web','image':'nginx',"
                + "'ports':[{'containerPort':80}]}],'restartPolicy':'Always'}}");

        assertThat(shortcutAnswers(pod, null)).isTrue();
        ObjectNode out = fast.update(null, pod, "kubectl-create", "", T0);

        // no "." under f:spec or f:containers, which the empty Pod has, as upstream; the port's protocol key is
        // defaulted
        assertThat(out.at("/metadata/managedFields")).isEqualTo(node("[{'manager':'kubectl-create',"
                + "'operation':'Update','apiVersion':'v1','time':'2025-03-01T10:00:00Z','fieldsType':'FieldsV1',"
                + "'fieldsV1':{'f:metadata':{'f:labels':{'.':{},'f:app':{}}},'f:spec':{'f:containers':{"
                + "'k:{\\\"name\\\":\\\"web\\\"}':{'.':{},'f:image':{},'f:name':{},'f:ports':{'.':{},"
                + "'k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}':{'.':{},'f:containerPort':{}}}}},"
                + "'f:restartPolicy':{}}}}]"));
    }

    @Test
    void aCreateThatSetsOnlyTheServersFieldsHasNoEntry() {
        ObjectNode cm = obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','namespace':'n'}}");

        assertThat(shortcutAnswers(cm, null)).isTrue();
        assertThat(fast.update(null, cm, "m", "", T0).at("/metadata/managedFields").isMissingNode()).isTrue();
    }

    @Test
    void anItemWithoutItsKeyOrEntriesTheClientSentAreLeftToTheFullBookkeeping() {
        ObjectNode pod = obj("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},"
                + "'spec':{'containers':[{'image':'nginx'}]}}");
        assertThat(shortcutAnswers(pod, null)).isFalse();
        assertThat(CreatedFields.startsWithoutOwners(node("[{'manager':'a','operation':'Update'}]"))).isFalse();
        for (String sent : List.of("[]", "[{}]", "null")) {
            assertThat(CreatedFields.startsWithoutOwners(node(sent))).as(sent).isTrue();
        }
    }

    @Test
    void randomCreatesGiveWhatTheFullBookkeepingGives() {
        int[] tally = new int[2];
        for (long seed = 1; seed <= 4000; seed++) {
            Random r = new Random(seed);
            Kind kind = Kind.values()[r.nextInt(Kind.values().length)];
            ObjectNode object = randomObject(kind, r);
            String subresource = r.nextInt(6) == 0 ? "status" : "";
            FieldSet reset = randomReset(r);
            sendManagedFields(object, r);
            String manager = List.of("alice", "", "kubectl-create").get(r.nextInt(3));
            ListTypes types = types(kind, object);
            String context = "seed " + seed + " reset " + reset + " by " + manager + "/" + subresource + ": "
                    + object;

            createBothWays(object, manager, subresource, types, reset, context);
            tally[answered(object, manager, subresource, types, reset) ? 0 : 1]++;
        }
        // the comparison means something only if both ways are taken often
        assertThat(tally[0]).as("creates the shortcut answered").isGreaterThan(2000);
        assertThat(tally[1]).as("creates left to the full bookkeeping").isGreaterThan(400);
    }

    @Test
    void setItemsTheListKeepsApartButTheSetsMergeAreLeftToTheFullBookkeeping() {
        // {'a':1} and {'a':1.0} hash apart as items but are one element of a field set
        ObjectNode widget = obj("{'apiVersion':'example.com/v1','kind':'Widget','metadata':{'name':'w'},"
                + "'spec':{'tags':[{'a':1},{'a':1.0}],'items':[{'name':'a','port':{'n':1}},"
                + "{'name':'a','port':{'n':1.0},'sub':['x']}]}}");
        ListTypes types = ListTypes.fromOpenApi(WIDGET_SCHEMA);

        assertThat(answered(widget, "m", "", types, null)).isFalse();
        createBothWays(widget, "m", "", types, null, "items merged by the sets");
    }

    // ---- helpers ----

    /** The create made with the shortcut and without: both must write and answer the same. */
    private void createBothWays(ObjectNode object, String manager, String subresource, ListTypes types,
                                FieldSet reset, String context) {
        ObjectNode a = object.deepCopy();
        ObjectNode b = object.deepCopy();
        List<ManagedFieldsEntry> viaShortcut = fast.updateEntries(null, a, manager, subresource, types, reset, T0);
        List<ManagedFieldsEntry> viaFull = full.updateEntries(null, b, manager, subresource, types, reset, T0);
        // as written, in order (JsonNode equality would not see the order of an object's fields)
        assertThat(a.toString()).as(context).isEqualTo(b.toString());
        assertThat(viaShortcut).as(context).isEqualTo(viaFull);
    }

    private static boolean shortcutAnswers(ObjectNode object, FieldSet reset) {
        return answered(object, "m", "", ListTypes.forObject(object), reset);
    }

    /** Whether {@link CreatedFields} answers this create, asked as {@link FieldManager#updateEntries} asks it. */
    private static boolean answered(ObjectNode object, String manager, String subresource, ListTypes types,
                                    FieldSet reset) {
        ObjectNode newObj = object.deepCopy();
        JsonNode sent = subresource.isEmpty() ? newObj.path("metadata").get("managedFields") : null;
        ManagedFields.remove(newObj);
        if (!CreatedFields.startsWithoutOwners(sent)) {
            return false;
        }
        ManagerId id = new ManagerId(manager, ManagerId.UPDATE, newObj.path("apiVersion").asString(""),
                subresource);
        return CreatedFields.entries(newObj, id, types, reset, T0) != null;
    }

    private enum Kind { CONFIG_MAP, POD, DEPLOYMENT, STATEFUL_SET, SERVICE, WIDGET, UNTYPED }

    /** A custom kind's schema: map lists with one and two keys (one defaulted), sets, atomic objects and items. */
    private static final JsonNode WIDGET_SCHEMA = node("{'type':'object','properties':{'spec':{'type':'object',"
            + "'properties':{'items':{'type':'array','x-kubernetes-list-type':'map',"
            + "'x-kubernetes-list-map-keys':['name','port'],'items':{'type':'object','properties':{"
            + "'name':{'type':'string'},'port':{'type':'integer','default':80},'sub':{'type':'array',"
            + "'x-kubernetes-list-type':'set','items':{'type':'string'}}}}},"
            + "'tags':{'type':'array','x-kubernetes-list-type':'set','items':{'type':'string'}},"
            + "'byId':{'type':'array','x-kubernetes-list-type':'map','x-kubernetes-list-map-keys':['id'],"
            + "'items':{'type':'object'}},"
            + "'atomic':{'type':'object','x-kubernetes-map-type':'atomic'},"
            + "'atomicItems':{'type':'array','x-kubernetes-list-type':'map','x-kubernetes-list-map-keys':['id'],"
            + "'items':{'type':'object','x-kubernetes-map-type':'atomic'}},"
            + "'plain':{'type':'array','items':{'type':'object'}}}}}}");

    private static ListTypes types(Kind kind, ObjectNode object) {
        return switch (kind) {
            case WIDGET -> ListTypes.fromOpenApi(WIDGET_SCHEMA);
            case UNTYPED -> ListTypes.DEDUCED;
            default -> ListTypes.forObject(object);
        };
    }

    private static ObjectNode template(Kind kind) {
        String podSpec = "{'containers':[{'name':'web','image':'nginx:1','env':[{'name':'A','value':'1'},"
                + "{'name':'B','valueFrom':{'fieldRef':{'fieldPath':'metadata.name'}}}],"
                + "'ports':[{'containerPort':80,'protocol':'TCP'},{'containerPort':443}],"
                + "'resources':{'requests':{'cpu':'100m'}},'volumeMounts':[{'name':'v','mountPath':'/v'}]},"
                + "{'name':'side','image':'busybox','args':['sleep','1'],'command':[]}],"
                + "'tolerations':[{'key':'k','operator':'Exists'}],'securityContext':{},"
                + "'volumes':[{'name':'v','emptyDir':{}}],'nodeSelector':{'disk':'ssd'},"
                + "'topologySpreadConstraints':[{'topologyKey':'zone','whenUnsatisfiable':'DoNotSchedule',"
                + "'maxSkew':1}],'restartPolicy':'Always','terminationGracePeriodSeconds':30}";
        return switch (kind) {
            case CONFIG_MAP -> obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','namespace':'n',"
                    + "'labels':{'app':'web'},'annotations':{'note':'x'}},'data':{'a':'1','b':'2'},"
                    + "'binaryData':{}}");
            case POD -> obj("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','namespace':'n',"
                    + "'labels':{'app':'web'},'finalizers':['f1','f2'],'ownerReferences':[{'uid':'u1',"
                    + "'kind':'ReplicaSet','name':'rs'}]},'spec':" + podSpec + ",'status':{'phase':'Pending',"
                    + "'conditions':[{'type':'Ready','status':'False'}]}}");
            case DEPLOYMENT -> obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d',"
                    + "'namespace':'n','generation':1},'spec':{'replicas':2,'selector':{'matchLabels':"
                    + "{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},'spec':" + podSpec + "},"
                    + "'strategy':{'type':'RollingUpdate'}},'status':{'replicas':0,'conditions':"
                    + "[{'type':'Available','status':'True'}]}}");
            case STATEFUL_SET -> obj("{'apiVersion':'apps/v1','kind':'StatefulSet','metadata':{'name':'s'},"
                    + "'spec':{'serviceName':'','selector':{'matchLabels':{'app':'db'}},'template':{'metadata':{},"
                    + "'spec':" + podSpec + "},'updateStrategy':{},'volumeClaimTemplates':[]},"
                    + "'status':{'replicas':0,'availableReplicas':0}}");
            case SERVICE -> obj("{'apiVersion':'v1','kind':'Service','metadata':{'name':'svc','namespace':'n'},"
                    + "'spec':{'ports':[{'port':80,'targetPort':8080},{'port':53,'protocol':'UDP'}],"
                    + "'selector':{'app':'web'},'type':'ClusterIP'},'status':{'loadBalancer':{}}}");
            case WIDGET -> obj("{'apiVersion':'example.com/v1','kind':'Widget','metadata':{'name':'w'},"
                    + "'spec':{'items':[{'name':'a','port':1,'sub':['x','y']},{'name':'a'},{'name':'b','port':2}],"
                    + "'tags':['t1','t2'],'byId':[{'id':1,'v':{'deep':true}},{'id':'1'}],'atomic':{'x':{'y':1}},"
                    + "'atomicItems':[{'id':1,'x':2}],'plain':[{'a':1},{'a':1}]},'status':{'phase':'Ready'}}");
            case UNTYPED -> obj("{'apiVersion':'other.io/v1beta1','kind':'Thing','metadata':{'name':'t',"
                    + "'labels':{}},'spec':{'list':[1,2],'map':{'k':'v'}}}");
        };
    }

    private static ObjectNode randomObject(Kind kind, Random r) {
        ObjectNode object = template(kind);
        int changes = r.nextInt(8);
        for (int i = 0; i < changes; i++) {
            mutate(object, r);
        }
        return object;
    }

    /** Names that need care: JSON escapes, unicode, the FieldsV1 separators, keys of lists. */
    private static final List<String> NAMES = List.of("a", "b", "Z", "name", "port", "id", "protocol", "type",
            "containerPort", "key", "\u00fc", "\u65e5\u672c", "\ud83c\udf89", "q\"uote", "back\\slash", "x.y",
            "f:a", ".", "", "new\nline", "tab\t", "\u0001", "spec", "status", "metadata", "image", "sub");

    private static JsonNode randomValue(Random r, int depth) {
        int pick = r.nextInt(depth > 2 ? 9 : 13);
        return switch (pick) {
            case 0 -> F.stringNode(NAMES.get(r.nextInt(NAMES.size())));
            case 1 -> F.numberNode(r.nextInt(3));
            case 2 -> F.numberNode(r.nextInt(3) + 0.0); // equal to an int, written otherwise
            case 3 -> F.numberNode(1L << 40);
            case 4 -> F.booleanNode(r.nextBoolean());
            case 5 -> F.nullNode();
            case 6 -> F.objectNode();
            case 7 -> F.arrayNode();
            case 8 -> F.stringNode("s" + r.nextInt(3));
            case 9, 10 -> {
                ObjectNode o = F.objectNode();
                int n = 1 + r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    o.set(NAMES.get(r.nextInt(NAMES.size())), randomValue(r, depth + 1));
                }
                yield o;
            }
            default -> {
                ArrayNode a = F.arrayNode();
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    a.add(randomValue(r, depth + 1));
                }
                yield a;
            }
        };
    }

    /** One random change anywhere in the object (its apiVersion and kind stay). */
    private static void mutate(ObjectNode object, Random r) {
        List<Slot> slots = slots(object);
        Slot s = slots.get(r.nextInt(slots.size()));
        JsonNode value = s.get();
        switch (r.nextInt(10)) {
            case 0, 1 -> {
                if (value instanceof ObjectNode o) {
                    o.set(NAMES.get(r.nextInt(NAMES.size())), randomValue(r, 1));
                } else {
                    s.set(randomValue(r, 1));
                }
            }
            case 2 -> s.set(randomValue(r, 2));
            case 3 -> {
                // a duplicate item: the same, or with another value
                if (value instanceof ArrayNode a && !a.isEmpty()) {
                    JsonNode item = a.get(r.nextInt(a.size())).deepCopy();
                    if (item instanceof ObjectNode o && r.nextBoolean()) {
                        o.put("extra", "v" + r.nextInt(2));
                    }
                    a.add(item);
                }
            }
            case 4 -> {
                // a key field taken away, or written as an equal number of another type
                if (value instanceof ObjectNode o) {
                    for (String k : List.of("name", "containerPort", "port", "id", "type", "key", "protocol",
                            "topologyKey", "uid")) {
                        if (o.has(k)) {
                            if (o.get(k).isIntegralNumber() && r.nextBoolean()) {
                                o.put(k, o.get(k).asDouble());
                            } else {
                                o.remove(k);
                            }
                            break;
                        }
                    }
                }
            }
            case 5 -> {
                if (value instanceof ArrayNode a) {
                    a.add(r.nextBoolean() ? F.nullNode() : F.stringNode("not-an-object"));
                }
            }
            case 6 -> s.set(List.of(F.nullNode(), F.objectNode(), F.arrayNode(), F.stringNode("")).get(r.nextInt(4)));
            case 7 -> s.remove();
            default -> {
                ObjectNode meta = object.get("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
                switch (r.nextInt(5)) {
                    case 0 -> meta.put("generation", r.nextInt(3));
                    case 1 -> meta.put("resourceVersion", "1");
                    case 2 -> meta.set("name", randomValue(r, 1));
                    case 3 -> meta.putObject("labels").put(NAMES.get(r.nextInt(NAMES.size())), "v");
                    default -> meta.put("uid", "u");
                }
            }
        }
    }

    /** Every field and item below the root but apiVersion and kind. */
    private static List<Slot> slots(ObjectNode object) {
        List<Slot> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            if (!List.of("apiVersion", "kind").contains(e.getKey())) {
                out.add(new Slot(object, e.getKey(), -1));
                UnchangedOwnershipTest.collect(e.getValue(), out);
            }
        }
        if (out.isEmpty()) {
            object.putObject("spec");
            out.add(new Slot(object, "spec", -1));
        }
        return out;
    }

    /** The fields a strategy might reset: none, whole fields, fields below list items, paths to non-members. */
    private static FieldSet randomReset(Random r) {
        PathElement spec = new PathElement.Field("spec");
        PathElement web = new PathElement.Key((ObjectNode) node("{'name':'web'}"));
        return switch (r.nextInt(9)) {
            case 0, 1 -> null;
            case 2 -> new FieldSet();
            case 3 -> new FieldSet().insert(new PathElement.Field("status"));
            case 4 -> new FieldSet().insert(spec).insert(new PathElement.Field("metadata"),
                    new PathElement.Field("labels"));
            case 5 -> new FieldSet().insert(spec, new PathElement.Field("containers"), web,
                    new PathElement.Field("image"));
            case 6 -> new FieldSet().insert(spec, new PathElement.Field("containers"), web);
            case 7 -> new FieldSet().insert(new PathElement.Field("data"), new PathElement.Field("a"))
                    .insert(spec, new PathElement.Field("tags"), new PathElement.Value(F.stringNode("t1")));
            default -> new FieldSet().insert(new PathElement.Field("metadata")).insert(spec,
                    new PathElement.Field("template"), new PathElement.Field("spec"), new PathElement.Field("x"));
        };
    }

    /** The managedFields the request carries: mostly none, else null, a reset, valid or broken entries. */
    private static void sendManagedFields(ObjectNode object, Random r) {
        if (!(object.get("metadata") instanceof ObjectNode meta)) {
            return;
        }
        switch (r.nextInt(12)) {
            case 0 -> meta.putNull("managedFields");
            case 1 -> meta.set("managedFields", F.arrayNode());
            case 2 -> meta.set("managedFields", F.arrayNode().add(F.objectNode()));
            case 3 -> meta.set("managedFields", node("[{'manager':'bob','operation':'Update','apiVersion':'v1',"
                    + "'time':'2025-01-01T00:00:00Z','fieldsType':'FieldsV1','fieldsV1':{'f:metadata':"
                    + "{'f:labels':{}}}}]"));
            case 4 -> meta.set("managedFields", node("[1]"));
            default -> { } // none: nearly every create
        }
    }
}
