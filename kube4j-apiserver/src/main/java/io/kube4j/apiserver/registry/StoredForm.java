package io.kube4j.apiserver.registry;

import tools.jackson.databind.node.ObjectNode;

/**
 * How a served resource maps to the form its storage holds, for a resource served as a view of another's
 * storage (events.k8s.io/v1 Events over core/v1 Events). Both directions return new objects.
 */
public interface StoredForm {

    /** Objects are stored as served. */
    StoredForm AS_SERVED = new StoredForm() {
        @Override
        public ObjectNode toStored(ObjectNode served) {
            return served;
        }

        @Override
        public ObjectNode toServed(ObjectNode stored) {
            return stored;
        }
    };

    ObjectNode toStored(ObjectNode served);

    ObjectNode toServed(ObjectNode stored);
}
