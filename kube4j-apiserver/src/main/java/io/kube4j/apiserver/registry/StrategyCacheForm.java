package io.kube4j.apiserver.registry;

import io.kube4j.apiserver.watchcache.CacheForm;
import io.kube4j.apiserver.watchcache.Selectable;
import tools.jackson.databind.node.ObjectNode;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A watch cache's form for a resource: objects decoded through the resource's {@link StoredForm}, selected by the
 * field labels {@code strategy} supports (read once per write, as {@link Selection} would read them), and, when the
 * form serves stored bytes, watch lines built by inserting the resourceVersion into those bytes rather than by
 * decoding and encoding each object.
 */
final class StrategyCacheForm implements CacheForm {

    private final StoredForm storedForm;
    private final ResourceStrategy strategy;
    /** Every field label a selection on this resource may use, shared by every object's attributes. */
    private final String[] fieldNames;

    StrategyCacheForm(StoredForm storedForm, ResourceStrategy strategy) {
        this.storedForm = storedForm;
        this.strategy = strategy;
        Set<String> names = new LinkedHashSet<>(ResourceStrategy.META_FIELDS);
        names.addAll(strategy.selectableFields());
        this.fieldNames = names.toArray(new String[0]);
    }

    @Override
    public ObjectNode decode(byte[] value, long revision) {
        return storedForm.toServed(ObjectCodec.decode(value, revision));
    }

    @Override
    public Selectable attributes(ObjectNode served) {
        String[] values = new String[fieldNames.length];
        for (int i = 0; i < fieldNames.length; i++) {
            try {
                String value = strategy.fieldValue(served, fieldNames[i]);
                values[i] = value == null ? "" : value;
            } catch (RuntimeException e) {
                // left unread (null): a selection on it reads the object and meets the failure there, as before,
                // while the cache still takes the write
                values[i] = null;
            }
        }
        return CacheForm.metadataAttributes(served, strategy, fieldNames, values);
    }

    @Override
    public byte[] servedBytes(byte[] value, long revision, Selectable attributes) {
        if (storedForm.servesStoredBytes() && attributes.apiVersion() != null) {
            // null when StoredJson cannot vouch that the bytes are what encoding the decoded object gives
            byte[] spliced = StoredJson.withResourceVersion(value, revision, StoredJson.quoted(attributes.apiVersion()));
            if (spliced != null) {
                return spliced;
            }
        }
        return CacheForm.super.servedBytes(value, revision, attributes);
    }
}
