package io.kube4j.controllers.framework;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Records a core/v1 Event about an object, as client-go's EventRecorder. */
public interface EventRecorder {
    String NORMAL = "Normal";
    String WARNING = "Warning";

    void event(HasMetadata object, String type, String reason, String message);

    EventRecorder NOOP = (object, type, reason, message) -> { };
}
