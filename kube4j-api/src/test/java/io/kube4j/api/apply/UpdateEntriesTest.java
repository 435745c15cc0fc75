package io.kube4j.api.apply;

import static io.kube4j.api.apply.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * The entries a create or update answers with are the object's managedFields as written, in their order there, so
 * that validating them needs no parse of what was just written: whatever the field manager decided (a new owner,
 * owners kept, a reset, a client's managedFields ignored).
 */
class UpdateEntriesTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2024-05-01T11:00:00Z");

    private final FieldManager fm = new FieldManager();

    private static ObjectNode configMap(String rest) {
        return obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','namespace':'n','uid':'u'" + rest);
    }

    private List<ManagedFieldsEntry> update(ObjectNode live, ObjectNode obj, String manager, String subresource,
                                            Instant now) {
        List<ManagedFieldsEntry> entries = fm.updateEntries(live, obj, manager, subresource,
                ListTypes.forObject(obj), null, now);
        assertThat(entries).isEqualTo(ManagedFields.of(obj));
        return entries;
    }

    @Test
    void aCreateAndUpdatesAnswerTheEntriesTheyWrote() {
        ObjectNode created = configMap(",'labels':{'app':'x'}},'data':{'a':'1'}}");
        assertThat(update(null, created, "creator", "", T0)).extracting(ManagedFieldsEntry::manager)
                .containsExactly("creator");

        ObjectNode edited = created.deepCopy();
        ((ObjectNode) edited.get("data")).put("b", "2");
        // the new owner is written after the older one (upstream's order by time), and answered so
        assertThat(update(created, edited, "editor", "", T1)).extracting(ManagedFieldsEntry::manager)
                .containsExactly("creator", "editor");

        ObjectNode status = edited.deepCopy();
        status.putObject("status").put("x", "y");
        assertThat(update(edited, status, "kubelet", "status", T1)).extracting(ManagedFieldsEntry::subresource)
                .containsExactly("", "", "status");
    }

    @Test
    void aResetOrNoManagedFieldsAnswerNone() {
        ObjectNode live = configMap("},'data':{'a':'1'}}");
        fm.updateEntries(null, live, "creator", "", ListTypes.forObject(live), null, T0);
        ObjectNode reset = live.deepCopy();
        ((ObjectNode) reset.get("metadata")).putArray("managedFields");
        assertThat(update(live, reset, "editor", "", T1)).isEmpty();
        assertThat(reset.at("/metadata/managedFields").isMissingNode()).isTrue();

        // an object kept without managedFields stays without
        ObjectNode without = configMap("},'data':{'a':'2'}}");
        assertThat(update(configMap("},'data':{'a':'1'}}"), without, "editor", "", T1)).isEmpty();
    }

    @Test
    void aClientsInvalidManagedFieldsAreReplacedAndTheEntriesSaySo() {
        ObjectNode live = configMap("},'data':{'a':'1'}}");
        fm.updateEntries(null, live, "creator", "", ListTypes.forObject(live), null, T0);
        ObjectNode next = live.deepCopy();
        ((ObjectNode) next.get("metadata")).putArray("managedFields").addObject().put("manager", "m")
                .put("operation", "Bogus");
        ((ObjectNode) next.get("data")).put("b", "2");
        assertThat(update(live, next, "editor", "", T1)).extracting(ManagedFieldsEntry::operation)
                .containsExactly("Update", "Update");
    }

    @Test
    void aTooLongManagerIsInTheEntriesForValidationToRefuse() {
        String manager = "m".repeat(ManagedFields.MAX_MANAGER_LENGTH + 1);
        ObjectNode created = configMap("},'data':{'a':'1'}}");
        List<ManagedFieldsEntry> entries = update(null, created, manager, "", T0);
        assertThat(ManagedFields.validate(entries)).isEqualTo(ManagedFields.validate(ManagedFields.of(created)))
                .singleElement().satisfies(c -> assertThat(c.field()).isEqualTo("metadata.managedFields[0].manager"));
    }
}
