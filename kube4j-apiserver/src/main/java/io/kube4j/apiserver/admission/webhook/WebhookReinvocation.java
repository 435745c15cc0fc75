package io.kube4j.apiserver.admission.webhook;

import tools.jackson.databind.node.ObjectNode;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The mutating webhooks' bookkeeping of one request for {@code reinvocationPolicy: IfNeeded}, as upstream's
 * webhookReinvokeContext: which IfNeeded webhooks ran since the object last changed, which must run again in the
 * second pass, and the object as the webhooks last left it (so changes by later plugins are noticed).
 */
final class WebhookReinvocation {

    private final Set<String> previouslyInvoked = new HashSet<>();
    private final Set<String> toReinvoke = new HashSet<>();
    private ObjectNode lastOutput;

    /** Whether the object differs from what the webhooks last produced (a later plugin changed it). */
    boolean changedSinceLastInvocation(ObjectNode object) {
        return !Objects.equals(lastOutput, object);
    }

    void recordOutput(ObjectNode object) {
        lastOutput = object == null ? null : object.deepCopy();
    }

    /** The object changed: every IfNeeded webhook that already saw it must see it again. */
    void requireReinvokingPreviouslyInvoked() {
        toReinvoke.addAll(previouslyInvoked);
        previouslyInvoked.clear();
    }

    void invokedReinvocable(String webhook) {
        previouslyInvoked.add(webhook);
    }

    /** Whether an IfNeeded webhook has seen the object as it is now (and would be called again if it changed). */
    boolean awaitsReinvocation() {
        return !previouslyInvoked.isEmpty();
    }

    boolean shouldReinvoke(String webhook) {
        return toReinvoke.contains(webhook);
    }
}
