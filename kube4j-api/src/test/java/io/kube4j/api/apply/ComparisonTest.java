package io.kube4j.api.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What {@link Comparison} records: each change once, at its own path, with no extra members on the way to it. */
class ComparisonTest {

    private static final JsonMapper M = JsonMapper.builder().build();

    private static JsonNode j(String s) {
        return M.readTree(s.replace('\'', '"'));
    }

    private static final String OLD = "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'a':'1','b':'2'},"
            + "'finalizers':['x','y']},'spec':{'containers':[{'name':'c','image':'i:1','ports':[{'containerPort':80,"
            + "'protocol':'TCP'}]},{'name':'d','image':'j:1'}],'nodeSelector':{'zone':'z1'}}}";
    private static final String NEW = "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'a':'1','c':'3'},"
            + "'finalizers':['x','z']},'spec':{'containers':[{'name':'c','image':'i:2','ports':[{'containerPort':80,"
            + "'protocol':'TCP'},{'containerPort':81,'protocol':'TCP'}]},{'name':'e','image':'k:1'}],"
            + "'nodeSelector':{'zone':'z1'},'hostname':'h'}}";

    @Test
    void recordsEachChangeAtItsPath() {
        JsonNode old = j(OLD);
        JsonNode now = j(NEW);
        Comparison c = Comparison.of(old, now, ListTypes.forObject(now));
        assertThat(c.added().paths()).extracting(FieldSet::format).containsExactly(
                ".metadata.finalizers[=\"z\"]",
                ".metadata.labels.c",
                ".spec.containers[name=\"c\"].ports[containerPort=81,protocol=\"TCP\"]",
                ".spec.containers[name=\"c\"].ports[containerPort=81,protocol=\"TCP\"].containerPort",
                ".spec.containers[name=\"c\"].ports[containerPort=81,protocol=\"TCP\"].protocol",
                ".spec.containers[name=\"e\"]",
                ".spec.containers[name=\"e\"].image",
                ".spec.containers[name=\"e\"].name",
                ".spec.hostname");
        assertThat(c.modified().paths()).extracting(FieldSet::format).containsExactly(
                ".spec.containers[name=\"c\"].image");
        assertThat(c.removed().paths()).extracting(FieldSet::format).containsExactly(
                ".metadata.finalizers[=\"y\"]",
                ".metadata.labels.b",
                ".spec.containers[name=\"d\"]",
                ".spec.containers[name=\"d\"].image",
                ".spec.containers[name=\"d\"].name");
        // the same trees as inserting those paths one by one: no node made a member on the way to a change
        FieldSet removed = new FieldSet();
        c.removed().paths().forEach(removed::insert);
        assertThat(c.removed()).isEqualTo(removed);
        assertThat(c.removed().toFieldsV1()).isEqualTo(removed.toFieldsV1());
    }

    @Test
    void aCreateRecordsEveryFieldAsAdded() {
        JsonNode now = j(NEW);
        Comparison c = Comparison.of(EmptyObjects.of((tools.jackson.databind.node.ObjectNode) now), now,
                ListTypes.forObject(now));
        assertThat(c.modified().isEmpty()).isTrue();
        // every field and every object or list item is added; the containers they sit in are paths, not members
        // (nodeSelector is an atomic map: one member)
        assertThat(c.added().paths()).extracting(FieldSet::format).containsExactly(
                ".metadata.finalizers", ".metadata.finalizers[=\"x\"]", ".metadata.finalizers[=\"z\"]",
                ".metadata.labels", ".metadata.labels.a", ".metadata.labels.c", ".metadata.name",
                ".spec.containers[name=\"c\"]", ".spec.containers[name=\"c\"].image",
                ".spec.containers[name=\"c\"].name", ".spec.containers[name=\"c\"].ports",
                ".spec.containers[name=\"c\"].ports[containerPort=80,protocol=\"TCP\"]",
                ".spec.containers[name=\"c\"].ports[containerPort=80,protocol=\"TCP\"].containerPort",
                ".spec.containers[name=\"c\"].ports[containerPort=80,protocol=\"TCP\"].protocol",
                ".spec.containers[name=\"c\"].ports[containerPort=81,protocol=\"TCP\"]",
                ".spec.containers[name=\"c\"].ports[containerPort=81,protocol=\"TCP\"].containerPort",
                ".spec.containers[name=\"c\"].ports[containerPort=81,protocol=\"TCP\"].protocol",
                ".spec.containers[name=\"e\"]", ".spec.containers[name=\"e\"].image",
                ".spec.containers[name=\"e\"].name", ".spec.hostname", ".spec.nodeSelector");
        assertThat(Comparison.of(now, now, ListTypes.forObject(now)).added().isEmpty()).isTrue();
    }

    @Test
    void anItemWithoutItsKeyIsReportedAtItsListsPath() {
        JsonNode old = j(OLD);
        JsonNode now = j(NEW.replace("{'name':'e','image':'k:1'}", "{'image':'k:1'}"));
        assertThatThrownBy(() -> Comparison.of(old, now, ListTypes.forObject(now)))
                .isInstanceOf(ApplyException.class)
                .hasMessageStartingWith(".spec.containers: element 1: ");
    }
    @Test
    void anUnchangedSpecIsNotWalkedSoOnlyTheChangedLabelIsRecorded() {
        // the item without its key would make a walk of the spec fail: equal near the root, it is not walked
        String spec = "'spec':{'containers':[{'image':'k:1'}]}";
        JsonNode old = j("{'metadata':{'labels':{'a':'1'}}," + spec + "}");
        JsonNode now = j("{'metadata':{'labels':{'a':'2'}}," + spec + "}");
        Comparison c = Comparison.of(old, now, ListTypes.forObject(now));
        assertThat(c.added().isEmpty()).isTrue();
        assertThat(c.removed().isEmpty()).isTrue();
        assertThat(c.modified().paths()).extracting(FieldSet::format).containsExactly(".metadata.labels.a");
    }
}
