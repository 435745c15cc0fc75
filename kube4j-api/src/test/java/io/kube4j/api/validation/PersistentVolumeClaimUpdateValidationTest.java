package io.kube4j.api.validation;

import static io.kube4j.api.validation.Objects.defaulted;
import static io.kube4j.api.validation.Objects.messages;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The claim spec updates upstream allows: volumeName once, and a class for a claim created without one. */
class PersistentVolumeClaimUpdateValidationTest {
    private static final String IMMUTABLE = "spec: Forbidden: spec is immutable after creation except resources.requests for bound claims";

    private static ObjectNode claim(String specExtra) {
        return defaulted("", "PersistentVolumeClaim", "{'metadata':{'name':'c','namespace':'d'},'spec':{'accessModes':"
                + "['ReadWriteOnce'],'resources':{'requests':{'storage':'1Gi'}}" + specExtra + "}}");
    }

    @Test
    void aClaimWithoutClassMayBeGivenOneOnce() {
        ObjectNode old = claim("");
        assertThat(messages(Validators.forKind("", "PersistentVolumeClaim").validateUpdate(claim(",'storageClassName':'fast'"), old)))
                .isEmpty();
    }

    @Test
    void aClassOnceSetIsImmutable() {
        ObjectNode old = claim(",'storageClassName':'fast'");
        assertThat(messages(Validators.forKind("", "PersistentVolumeClaim").validateUpdate(claim(",'storageClassName':'slow'"), old)))
                .containsExactly(IMMUTABLE);
        ObjectNode empty = claim(",'storageClassName':''");
        assertThat(messages(Validators.forKind("", "PersistentVolumeClaim").validateUpdate(claim(",'storageClassName':'fast'"), empty)))
                .as("an explicit \"\" is a class").containsExactly(IMMUTABLE);
    }

    @Test
    void volumeNameMaySetOnce() {
        ObjectNode old = claim("");
        assertThat(messages(Validators.forKind("", "PersistentVolumeClaim").validateUpdate(claim(",'volumeName':'pv1'"), old)))
                .isEmpty();
        assertThat(messages(Validators.forKind("", "PersistentVolumeClaim")
                .validateUpdate(claim(",'volumeName':'pv2'"), claim(",'volumeName':'pv1'")))).containsExactly(IMMUTABLE);
    }
}
