package io.kube4j.api.apply;

import static io.kube4j.api.apply.Json.fieldsOf;
import static io.kube4j.api.apply.Json.node;
import static io.kube4j.api.apply.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An owner a write leaves alone keeps the FieldsV1 it was read from, but only when that is exactly what encoding its
 * set gives; everything else is encoded again, and the live object's nodes are never shared with the new object.
 */
class ManagedFieldsReuseTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2024-05-01T11:00:00Z");

    private final FieldManager fm = new FieldManager();

    private static ObjectNode configMap(String rest) {
        return obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','namespace':'n','uid':'u'" + rest);
    }

    private static void assertEveryEntryCanonical(ObjectNode object) {
        for (JsonNode e : object.path("metadata").path("managedFields")) {
            JsonNode fields = e.get("fieldsV1");
            assertThat(FieldSet.fromFieldsV1(fields).toFieldsV1()).isEqualTo(fields);
            assertThat(fields.toString()).isEqualTo(FieldSet.fromFieldsV1(fields).toFieldsV1().toString());
        }
    }

    @Test
    void anUntouchedOwnerKeepsItsSetWhenAnotherManagerChangesOtherFields() {
        ObjectNode v1 = fm.update(null, configMap(",'labels':{'app':'x'}},'data':{'a':'1'}}"), "creator", "", T0);
        ObjectNode next = v1.deepCopy();
        ((ObjectNode) next.get("data")).put("b", "2");
        ObjectNode v2 = fm.update(v1, next, "editor", "", T1);

        assertThat(fieldsOf(v2, "creator")).isEqualTo(fieldsOf(v1, "creator"));
        assertThat(fieldsOf(v2, "editor")).isEqualTo(node("{'f:data':{'f:b':{}}}"));
        assertEveryEntryCanonical(v2);
    }

    @Test
    void aNonCanonicalFieldsV1OfAnUntouchedOwnerIsWrittenAgainInUpstreamsForm() {
        ObjectNode live = fm.update(null, configMap(",'labels':{'app':'x'}},'data':{'a':'1'}}"), "creator", "", T0);
        ObjectNode next = live.deepCopy();
        // the same set as the creator's, with its keys out of order and "." last
        ObjectNode scrambled = (ObjectNode) node("{'f:metadata':{'f:labels':{'f:app':{},'.':{}}},"
                + "'f:data':{'f:a':{},'.':{}}}");
        ((ObjectNode) next.at("/metadata/managedFields/0")).set("fieldsV1", scrambled);
        ((ObjectNode) next.get("data")).put("b", "2");

        ObjectNode out = fm.update(live, next, "editor", "", T1);

        assertThat(fieldsOf(out, "creator").toString())
                .isEqualTo("{\"f:data\":{\".\":{},\"f:a\":{}},\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}}}");
        assertEveryEntryCanonical(out);
    }

    @Test
    void ownersReadFromTheLiveObjectAreNotSharedWithTheNewObject() {
        ObjectNode live = fm.update(null, configMap(",'labels':{'app':'x'}},'data':{'a':'1'}}"), "creator", "", T0);
        ObjectNode next = live.deepCopy();
        ((ObjectNode) next.get("metadata")).remove("managedFields"); // the live object's are used
        ((ObjectNode) next.get("data")).put("b", "2");

        ObjectNode out = fm.update(live, next, "editor", "", T1);
        JsonNode before = fieldsOf(live, "creator").deepCopy();
        ((ObjectNode) fieldsOf(out, "creator")).putObject("f:changed");

        assertThat(fieldsOf(live, "creator")).isEqualTo(before);
    }

    @Test
    void canonicalFieldsV1IsRecognisedAndEveryOtherFormIsNot() {
        assertThat(FieldSet.readFieldsV1(node("{'f:data':{'.':{},'f:a':{}},'f:metadata':{}}")).canonical()).isTrue();
        assertThat(FieldSet.readFieldsV1(node("{'f:spec':{'f:ports':{'k:{\\'port\\':80,\\'protocol\\':\\'TCP\\'}':"
                + "{'.':{},'f:port':{}}}}}")).canonical()).isTrue();
        // keys out of order
        assertThat(FieldSet.readFieldsV1(node("{'f:metadata':{},'f:data':{}}")).canonical()).isFalse();
        // "." not first
        assertThat(FieldSet.readFieldsV1(node("{'f:data':{'f:a':{},'.':{}}}")).canonical()).isFalse();
        // "." alone is written as {}
        assertThat(FieldSet.readFieldsV1(node("{'f:data':{'.':{}}}")).canonical()).isFalse();
        // a key whose fields are not sorted, or spaced
        assertThat(FieldSet.readFieldsV1(node("{'f:spec':{'f:ports':{'k:{\\'protocol\\':\\'TCP\\',\\'port\\':80}':"
                + "{}}}}")).canonical()).isFalse();
        assertThat(FieldSet.readFieldsV1(node("{'f:spec':{'f:ports':{'k:{\\'port\\': 80}':{}}}}")).canonical())
                .isFalse();
        // a field and a list item ordered as upstream orders them: fields first
        assertThat(FieldSet.readFieldsV1(node("{'f:z':{},'i:0':{}}")).canonical()).isTrue();
        assertThat(FieldSet.readFieldsV1(node("{'i:0':{},'f:z':{}}")).canonical()).isFalse();
    }

    @Test
    void intersectsSameTreeAndRemovalInPlaceAgreeWithTheSetOperations() {
        Random random = new Random(20261126L);
        List<PathElement> elements = new ArrayList<>();
        for (String f : List.of("metadata", "spec", "a", "b")) {
            elements.add(new PathElement.Field(f));
        }
        ObjectNode key = JsonNodeFactory.instance.objectNode();
        key.put("name", "c1");
        elements.add(new PathElement.Key(key));
        elements.add(new PathElement.Index(0));
        for (int round = 0; round < 2000; round++) {
            FieldSet a = randomSet(random, elements);
            FieldSet b = randomSet(random, elements);
            assertThat(a.intersects(b)).isEqualTo(!a.intersection(b).isEmpty());
            assertThat(a.sameTree(b)).isEqualTo(a.toFieldsV1().equals(b.toFieldsV1()));
            assertThat(a.sameTree(a.copy())).isTrue();
            if (!a.intersects(b)) {
                assertThat(a.difference(b).sameTree(a)).isTrue();
            }
            // in place, the same nodes as the copies
            assertThat(a.copy().removeInPlace(b, false).sameTree(a.difference(b))).isTrue();
            assertThat(a.copy().removeInPlace(b, true).sameTree(a.recursiveDifference(b))).isTrue();
        }
    }

    /** A set of up to five random paths of one to three of {@code elements}. */
    static FieldSet randomSet(Random random, List<PathElement> elements) {
        FieldSet set = new FieldSet();
        int paths = random.nextInt(6);
        for (int i = 0; i < paths; i++) {
            List<PathElement> path = new ArrayList<>();
            int depth = 1 + random.nextInt(3);
            for (int d = 0; d < depth; d++) {
                path.add(elements.get(random.nextInt(elements.size())));
            }
            set.insert(path);
        }
        return set;
    }
}
