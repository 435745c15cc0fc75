package io.kube4j.api.validation;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * The common shape of a kind's validation: ObjectMeta rules, then the kind's own rules; on update the ObjectMeta
 * update rules, the kind's rules on the new object, then its immutability rules.
 */
abstract class KindValidator implements Validator {
    private final Boolean namespaced;
    private final NameFn nameFn;
    private final boolean builtIn;

    KindValidator(Boolean namespaced, NameFn nameFn) {
        this(namespaced, nameFn, true);
    }

    KindValidator(Boolean namespaced, NameFn nameFn, boolean builtIn) {
        this.namespaced = namespaced;
        this.nameFn = nameFn;
        this.builtIn = builtIn;
    }

    @Override
    public final List<FieldError> validateCreate(ObjectNode obj) {
        prepareCreate(obj);
        List<FieldError> errs = new ArrayList<>(ObjectMetaValidation.validate(obj, namespaced, nameFn, builtIn));
        validate(obj, errs);
        validateNew(obj, errs);
        return errs;
    }

    @Override
    public final List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(ObjectMetaValidation.validateUpdate(obj, old));
        validateForUpdate(obj, old, errs);
        return errs;
    }

    @Override
    public final List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old, String subresource) {
        if (subresource == null || subresource.isEmpty()) {
            return validateUpdate(obj, old);
        }
        List<FieldError> errs = new ArrayList<>(ObjectMetaValidation.validateUpdate(obj, old));
        if (subresource.equals("status")) {
            validateStatusForUpdate(obj, old, errs);
        } else {
            validateSubresourceUpdate(subresource, obj, old, errs);
        }
        return errs;
    }

    /** The kind's rules of an update through a subresource with rules of its own; by default the update rules. */
    void validateSubresourceUpdate(String subresource, ObjectNode obj, ObjectNode old, List<FieldError> errs) {
        validateForUpdate(obj, old, errs);
    }

    /** The kind's own rules of a new object (ObjectMeta already checked). */
    abstract void validate(ObjectNode obj, List<FieldError> errs);

    /** The kind's rules of an update; by default the create rules plus {@link #validateImmutable}. */
    void validateForUpdate(ObjectNode obj, ObjectNode old, List<FieldError> errs) {
        validate(obj, errs);
        validateImmutable(obj, old, errs);
    }

    void validateImmutable(ObjectNode obj, ObjectNode old, List<FieldError> errs) {
    }

    /** The kind's rules of a status update; by default those of any update. */
    void validateStatusForUpdate(ObjectNode obj, ObjectNode old, List<FieldError> errs) {
        validateForUpdate(obj, old, errs);
    }

    /** What upstream's strategy does to a new object inside Validate (only the Job selector, so far). */
    void prepareCreate(ObjectNode obj) {
    }

    /** Rules that apply on create only. */
    void validateNew(ObjectNode obj, List<FieldError> errs) {
    }

    /** A Validator with only the ObjectMeta rules. */
    static KindValidator metaOnly(Boolean namespaced, NameFn nameFn, boolean builtIn) {
        return new KindValidator(namespaced, nameFn, builtIn) {
            @Override
            void validate(ObjectNode obj, List<FieldError> errs) {
            }
        };
    }
}
