package io.kube4j.api.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The set operations, which walk both trees, give exactly what their path-by-path definitions give (list every
 * member path, test it against the other set, insert it), down to the FieldsV1 they print: managedFields must not
 * change by a byte. Checked on many random sets with fields, keys, values and indices sharing prefixes.
 */
class FieldSetOperationsTest {

    private static final long SEED = 20251126L;
    private static final int ROUNDS = 2000;

    private static final List<PathElement> ELEMENTS = elements();

    private static List<PathElement> elements() {
        List<PathElement> out = new ArrayList<>();
        for (String f : List.of("metadata", "spec", "labels", "a", "b")) {
            out.add(new PathElement.Field(f));
        }
        for (String name : List.of("c1", "c2")) {
            ObjectNode key = JsonNodeFactory.instance.objectNode();
            key.put("name", name);
            out.add(new PathElement.Key(key));
        }
        out.add(new PathElement.Value(JsonNodeFactory.instance.stringNode("x")));
        out.add(new PathElement.Index(0));
        return out;
    }

    private static FieldSet randomSet(Random random) {
        FieldSet set = new FieldSet();
        int paths = random.nextInt(8);
        for (int i = 0; i < paths; i++) {
            List<PathElement> path = new ArrayList<>();
            int depth = 1 + random.nextInt(4);
            for (int d = 0; d < depth; d++) {
                path.add(ELEMENTS.get(random.nextInt(ELEMENTS.size())));
            }
            set.insert(path);
        }
        return set;
    }

    private static FieldSet referenceUnion(FieldSet a, FieldSet b) {
        FieldSet out = a.copy();
        for (List<PathElement> p : b.paths()) {
            out.insert(p);
        }
        return out;
    }

    private static FieldSet referenceDifference(FieldSet a, FieldSet b) {
        FieldSet out = new FieldSet();
        for (List<PathElement> p : a.paths()) {
            if (!b.has(p)) {
                out.insert(p);
            }
        }
        return out;
    }

    private static FieldSet referenceIntersection(FieldSet a, FieldSet b) {
        FieldSet out = new FieldSet();
        for (List<PathElement> p : a.paths()) {
            if (b.has(p)) {
                out.insert(p);
            }
        }
        return out;
    }

    private static FieldSet referenceRecursiveDifference(FieldSet a, FieldSet b) {
        FieldSet out = new FieldSet();
        for (List<PathElement> p : a.paths()) {
            boolean below = false;
            for (int i = 1; i <= p.size() && !below; i++) {
                below = b.has(p.subList(0, i));
            }
            if (!below) {
                out.insert(p);
            }
        }
        return out;
    }

    private static void check(BiFunction<FieldSet, FieldSet, FieldSet> actual,
                              BiFunction<FieldSet, FieldSet, FieldSet> reference) {
        Random random = new Random(SEED);
        for (int i = 0; i < ROUNDS; i++) {
            FieldSet a = randomSet(random);
            FieldSet b = random.nextInt(4) == 0 ? a.copy() : randomSet(random);
            String before = a.toFieldsV1().toString() + b.toFieldsV1();
            FieldSet got = actual.apply(a, b);
            FieldSet want = reference.apply(a, b);
            assertThat(got.toFieldsV1()).as("%s with %s", a, b).isEqualTo(want.toFieldsV1());
            assertThat(got.paths()).isEqualTo(want.paths());
            assertThat(got.isEmpty()).isEqualTo(want.isEmpty());
            // Neither operand changes, and the result shares no node with them.
            got.insert(new PathElement.Field("fresh"), new PathElement.Field("leaf"));
            assertThat(a.toFieldsV1().toString() + b.toFieldsV1()).isEqualTo(before);
        }
    }

    @Test
    void unionMatchesItsDefinition() {
        check(FieldSet::union, FieldSetOperationsTest::referenceUnion);
    }

    @Test
    void differenceMatchesItsDefinition() {
        check(FieldSet::difference, FieldSetOperationsTest::referenceDifference);
    }

    @Test
    void intersectionMatchesItsDefinition() {
        check(FieldSet::intersection, FieldSetOperationsTest::referenceIntersection);
    }

    @Test
    void recursiveDifferenceMatchesItsDefinition() {
        check(FieldSet::recursiveDifference, FieldSetOperationsTest::referenceRecursiveDifference);
    }

    @Test
    void fieldsAsMembersThenDifferenceMatchesItsDefinition() {
        check((a, b) -> a.withFieldsAsMembers().difference(b.withFieldsAsMembers()),
                (a, b) -> referenceDifference(a.withFieldsAsMembers(), b.withFieldsAsMembers()));
    }
}
